import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { dispatch, type DesktopHandlers } from '../../src-shared/desktop/api.js';
import { EVENT_NAMES, type EventName } from '../../src-shared/desktop/contract.js';
import {
  ClientMessageSchema,
  MAX_CLIENT_MESSAGE_BYTES,
  type ServerMessage,
} from '../../src-shared/desktop/wire.js';
import type { EventHub } from '../services/events/eventHub.js';
import { rendererContentSecurityPolicy } from './contentSecurityPolicy.js';
import { openFile, openStatic } from './staticFiles.js';

const textOf = (data: RawData): string =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');

export interface BrowserHostOptions {
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  readonly handlers: DesktopHandlers;
  readonly events: EventHub;
  /** A photo's thumbnail file, or null when there is none or it is not this user's. */
  readonly thumbnailFile: (photoId: string) => Promise<string | null>;
  readonly port?: number;
  readonly log: (message: string, error?: unknown) => void;
}

export interface BrowserHost {
  /** Open this in a browser: it carries the token. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * The desktop API for a browser, for development and end-to-end tests where Electron cannot
 * run: loopback only, and every API call and thumbnail needs the random token from the URL.
 * The renderer itself (public code) is served without it.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const validToken = (given: string | null): boolean => {
    const bytes = Buffer.from(given ?? '');
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  let origin = '';
  /** The renderer's policy; its API socket is on this host's own port (known once listening). */
  let contentSecurityPolicy = '';

  const security = (res: ServerResponse) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
  };
  const fail = (res: ServerResponse, status: number) => {
    security(res);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(String(status));
  };

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405);
    const url = new URL(req.url ?? '/', origin);
    const thumbnail = /^\/thumbnails\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
    if (thumbnail) {
      if (!validToken(url.searchParams.get('token'))) return fail(res, 403);
      const file = await options.thumbnailFile(thumbnail[1] as string);
      const opened = file ? await openFile(file) : null;
      if (!opened) return fail(res, 404);
      security(res);
      res.writeHead(200, {
        'content-type': 'image/jpeg',
        'content-length': opened.size,
        'cache-control': 'private, max-age=3600',
      });
      opened.stream.pipe(res);
      return;
    }
    const opened = await openStatic(options.rendererDir, url.pathname);
    if (!opened) return fail(res, 404);
    security(res);
    res.writeHead(200, {
      'content-type': opened.type,
      'content-length': opened.size,
      'cache-control': 'no-cache',
      'content-security-policy': contentSecurityPolicy,
    });
    opened.stream.pipe(res);
  }

  const server = createServer((req, res) => {
    serveHttp(req, res).catch((error: unknown) => {
      options.log('browser host: request failed', error);
      if (!res.headersSent) fail(res, 500);
      else res.destroy();
    });
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
  });

  server.on('upgrade', (req, socket, head) => {
    // A connection reset mid-handshake must not end the process either.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', origin);
    // The token, and a page of our own origin: another site cannot drive the API.
    if (
      url.pathname !== '/api' ||
      !validToken(url.searchParams.get('token')) ||
      req.headers.origin !== origin
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const unsubscribe = new Map<EventName, () => void>();
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only');
      let message;
      try {
        message = ClientMessageSchema.parse(JSON.parse(textOf(data)));
      } catch {
        return ws.close(1008, 'malformed message');
      }
      if (message.type === 'call') {
        void dispatch(options.handlers, message.method, message.args, (method, error) =>
          options.log(`desktop API ${method} failed`, error),
        ).then((result) => send({ type: 'result', id: message.id, result }));
        return;
      }
      const event = EVENT_NAMES.find((e) => e === message.event);
      if (!event) return;
      if (message.type === 'subscribe' && !unsubscribe.has(event)) {
        unsubscribe.set(
          event,
          options.events.subscribe(event, (payload) => send({ type: 'event', event, payload })),
        );
      } else if (message.type === 'unsubscribe') {
        unsubscribe.get(event)?.();
        unsubscribe.delete(event);
      }
    });
    // ws reports a bad frame (too big, not UTF-8, reserved opcode, unmasked, bad close code)
    // as an 'error' and closes the socket itself; unheard, that error would end the process.
    ws.on('error', (error) => {
      options.log('browser host: a page sent a bad WebSocket frame', error);
      ws.terminate();
    });
    ws.on('close', () => {
      for (const off of unsubscribe.values()) off();
      unsubscribe.clear();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  contentSecurityPolicy = rendererContentSecurityPolicy({
    connectSources: [`ws://127.0.0.1:${port}`],
  });
  return {
    url: `${origin}/?token=${token}`,
    origin,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
