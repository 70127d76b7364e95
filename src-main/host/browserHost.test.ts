import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DesktopHandlers } from '../../src-shared/desktop/api.js';
import { METHOD_NAMES } from '../../src-shared/desktop/contract.js';
import type { ServerMessage } from '../../src-shared/desktop/wire.js';
import { createEventHub, type EventHub } from '../services/events/eventHub.js';
import { startBrowserHost, type BrowserHost } from './browserHost.js';

const SYNC_STATE = {
  connection: 'online' as const,
  syncing: false,
  pending: 2,
  conflicts: 0,
  lastError: null,
  lastSyncedAt: null,
};

describe('browser host', () => {
  let host: BrowserHost;
  let events: EventHub;
  let root: string;
  const token = () => new URL(host.url).searchParams.get('token') ?? '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'weebum-host-'));
    const renderer = join(root, 'renderer');
    await mkdir(join(renderer, 'assets'), { recursive: true });
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Weebum Studio</title>');
    await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(root, 'secret.txt'), 'not for the page');
    await writeFile(join(root, 'thumb.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    events = createEventHub(() => undefined);
    // The transport is under test: handlers answer from fixed data.
    const unused = () => Promise.reject(new Error('unused'));
    const handlers = {
      ...Object.fromEntries(METHOD_NAMES.map((m) => [m, unused])),
      'sync.status': () => Promise.resolve(SYNC_STATE),
    } as unknown as DesktopHandlers;
    host = await startBrowserHost({
      rendererDir: renderer,
      handlers,
      events,
      thumbnailFile: (id) => Promise.resolve(id === 'photo-1' ? join(root, 'thumb.jpg') : null),
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await host?.close();
  });

  const open = (url: string, origin = host.origin) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { origin });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  const next = (ws: WebSocket) =>
    new Promise<ServerMessage>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as ServerMessage)),
    );

  it('listens on loopback only and serves the renderer, but not files beside it', async () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Weebum Studio</title>');
    const script = await fetch(`${host.origin}/assets/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    // The whole policy, written out: the renderer's own, plus its API socket on this port.
    const port = new URL(host.origin).port;
    const policy =
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
      `script-src 'self'; connect-src 'self' ws://127.0.0.1:${port}; object-src 'none'; ` +
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    expect(page.headers.get('content-security-policy')).toBe(policy);
    expect(script.headers.get('content-security-policy')).toBe(policy);
    expect((await fetch(`${host.origin}/index.html`)).headers.get('content-security-policy')).toBe(
      policy,
    );
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '//etc/passwd',
    ]) {
      expect((await fetch(`${host.origin}${path}`)).status).toBe(404);
    }
  });

  it('refuses API connections without the token or from another origin', async () => {
    const api = `ws://127.0.0.1:${new URL(host.origin).port}/api`;
    await expect(open(api)).rejects.toThrow('HTTP 403');
    await expect(open(`${api}?token=wrong`)).rejects.toThrow('HTTP 403');
    await expect(open(`${api}?token=${token()}`, 'http://evil.example')).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('carries calls, validation errors and subscribed events', async () => {
    const ws = await open(`ws://127.0.0.1:${new URL(host.origin).port}/api?token=${token()}`);
    try {
      ws.send(JSON.stringify({ type: 'call', id: 1, method: 'sync.status', args: {} }));
      expect(await next(ws)).toEqual({
        type: 'result',
        id: 1,
        result: { ok: true, value: SYNC_STATE },
      });
      ws.send(JSON.stringify({ type: 'call', id: 2, method: 'sync.status', args: { x: 1 } }));
      expect(await next(ws)).toMatchObject({
        type: 'result',
        id: 2,
        result: { ok: false, error: { code: 'invalid_arguments' } },
      });
      ws.send(JSON.stringify({ type: 'subscribe', event: 'sync.state' }));
      // The host handles one socket's messages in order: once a later call is answered, the
      // subscription is in place (no sleep standing in for it).
      ws.send(JSON.stringify({ type: 'call', id: 3, method: 'sync.status', args: {} }));
      expect(await next(ws)).toMatchObject({ type: 'result', id: 3 });
      events.emit('sync.state', { ...SYNC_STATE, pending: 0 });
      expect(await next(ws)).toEqual({
        type: 'event',
        event: 'sync.state',
        payload: { ...SYNC_STATE, pending: 0 },
      });
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send('{"type":"call","id":"x"}');
      expect(await closed).toBe(1008);
    } finally {
      ws.close();
    }
  });

  it('serves thumbnails only with the token', async () => {
    expect((await fetch(`${host.origin}/thumbnails/photo-1`)).status).toBe(403);
    const ok = await fetch(`${host.origin}/thumbnails/photo-1?token=${token()}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect((await fetch(`${host.origin}/thumbnails/photo-2?token=${token()}`)).status).toBe(404);
  });
});
