import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SecureContextOptions, SecureVersion } from 'node:tls';

export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  readonly json: unknown;
}

export interface TestRequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A string is sent as-is (malformed JSON tests); anything else as JSON. */
  readonly body?: unknown;
  /** Trusted CA; omit to test that an unknown certificate is refused. */
  readonly ca?: Buffer | string;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  readonly ciphers?: SecureContextOptions['ciphers'];
}

/** One request on a fresh connection (no agent), so TLS settings apply to each request. */
export function sendRequest(url: string, options: TestRequestOptions = {}): Promise<TestResponse> {
  const target = new URL(url);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    // Explicit length: Node sends GET and DELETE bodies unframed otherwise.
    ...(body === undefined
      ? {}
      : {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        }),
    ...options.headers,
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers,
        agent: false,
        ...(target.protocol === 'https:'
          ? {
              ca: options.ca,
              minVersion: options.minVersion,
              maxVersion: options.maxVersion,
              ciphers: options.ciphers,
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
