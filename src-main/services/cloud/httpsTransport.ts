import { createWriteStream } from 'node:fs';
import { Agent, request } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { CloudError, networkError } from './cloudError.js';

export interface CloudResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: unknown;
}

export interface HttpsTransportOptions {
  /** https://host:port, no path. */
  readonly baseUrl: string;
  /** The CA to trust (the server's development CA); the system's CAs when absent. */
  readonly ca?: Buffer;
  readonly timeoutMs?: number;
}

/**
 * JSON over HTTPS to one server, on a keep-alive agent. Certificates are always verified:
 * there is no option to switch that off.
 */
export function createHttpsTransport(options: HttpsTransportOptions) {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'https:') {
    throw new CloudError('insecure_server_url', 'The server address must start with https://', 0);
  }
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 16,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    minVersion: 'TLSv1.2',
  });
  const timeoutMs = options.timeoutMs ?? 30_000;

  function send(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<CloudResponse> {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, base),
        {
          method,
          agent,
          timeout: timeoutMs,
          headers: {
            accept: 'application/json',
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            ...init.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(networkError(error)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text.length > 0 ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      );
      req.on('error', (error) => reject(networkError(error)));
      req.end(body);
    });
  }

  /**
   * A GET whose 2xx body is streamed into the file `destination` (created, mode 0600) instead
   * of memory; any other answer is read as JSON like send's. Callers write to a temporary name.
   */
  function download(
    path: string,
    init: { headers?: Record<string, string>; destination: string },
  ): Promise<CloudResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, base),
        { method: 'GET', agent, timeout: timeoutMs, headers: { ...init.headers } },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', (error) => reject(networkError(error)));
            res.on('end', () => {
              let json: unknown;
              try {
                json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              } catch {
                json = undefined;
              }
              resolve({ status, headers: res.headers, json });
            });
            return;
          }
          pipeline(res, createWriteStream(init.destination, { flags: 'wx', mode: 0o600 })).then(
            // A cut connection ends the body early without an error event: check completeness.
            () =>
              res.complete
                ? resolve({ status, headers: res.headers, json: undefined })
                : reject(networkError(new Error('the download was cut off'))),
            (error: unknown) => reject(networkError(error as Error)),
          );
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      );
      req.on('error', (error) => reject(networkError(error)));
      req.end();
    });
  }

  return { baseUrl: base.origin, send, download, close: () => agent.destroy() };
}
export type HttpsTransport = ReturnType<typeof createHttpsTransport>;
