import { createReadStream } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';

/** A presigned PUT that did not succeed: `status` 0 when no answer came. */
export class TransferError extends Error {
  override readonly name = 'TransferError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** No answer, the storage's own trouble, or an expired URL (a fresh one is asked for). */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429 || this.status === 403;
  }
}

export interface PutFileOptions {
  readonly file: string;
  /** Byte range of the file to send (a multipart part), the whole file when absent. */
  readonly start?: number;
  readonly length: number;
  /** Exactly the headers the server signed the URL for. */
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Called as bytes leave for the network (for progress). */
  readonly onBytes?: (n: number) => void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/**
 * Streams files (or byte ranges of them) to presigned URLs: never the whole file in memory.
 * HTTPS is verified against the configured CA (the cloud's local blob store serves its URLs
 * itself). Plain http is accepted only for loopback (s3rver in development): photos of
 * children never cross a network unencrypted.
 */
export function createBlobTransfer(options: { ca?: Buffer; timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const https = new HttpsAgent({
    keepAlive: true,
    maxSockets: 16,
    minVersion: 'TLSv1.2',
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  const http = new HttpAgent({ keepAlive: true, maxSockets: 16 });

  async function putFile(url: string, put: PutFileOptions): Promise<{ etag: string | null }> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    if (!secure && !(target.protocol === 'http:' && LOOPBACK.has(target.hostname))) {
      throw new TransferError(
        'insecure_upload_url',
        `refusing to upload over ${target.protocol} to ${target.host}`,
        400,
      );
    }
    const start = put.start ?? 0;
    const send = secure ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'PUT',
      agent: secure ? https : http,
      timeout: timeoutMs,
      headers: { ...put.headers, 'content-length': String(put.length) },
      ...(put.signal === undefined ? {} : { signal: put.signal }),
    });
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('upload timed out'), { code: 'ETIMEDOUT' })),
    );
    let early: IncomingMessage | null = null;
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', (r) => resolve((early = r)));
      req.once('error', reject);
    });
    answered.catch(() => undefined); // awaited below; a refusal mid-body is handled there
    // A zero-length range would make createReadStream read the whole file.
    const source = createReadStream(put.file, {
      start,
      end: start + put.length - 1,
      highWaterMark: 1024 * 1024,
    });
    if (put.onBytes) source.on('data', (chunk) => put.onBytes?.(chunk.length));
    let res: IncomingMessage;
    try {
      // The answer may come before the body is sent (an early refusal): take whichever first.
      const [answer] = await Promise.all([answered, pipeline(source, req)]);
      res = answer;
    } catch (error) {
      source.destroy();
      const answer = early as IncomingMessage | null;
      if (answer === null || (answer.statusCode ?? 0) < 400) {
        req.destroy();
        throw toTransferError(error);
      }
      res = answer;
    }
    let text = '';
    res.setEncoding('utf8');
    for await (const chunk of res) text += chunk as string;
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      throw new TransferError(storageCode(text, status), `storage answered ${status}`, status);
    }
    const etag = res.headers.etag;
    return { etag: typeof etag === 'string' ? etag : null };
  }

  return {
    putFile,
    close: () => {
      https.destroy();
      http.destroy();
    },
  };
}
export type BlobTransfer = ReturnType<typeof createBlobTransfer>;

function toTransferError(error: unknown): Error {
  if ((error as { name?: unknown }).name === 'AbortError') return error as Error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'EPERM') {
    return error as Error; // the local file: the queue turns it into a failure with a reason
  }
  return new TransferError(
    code === 'ETIMEDOUT' ? 'timeout' : 'storage_unreachable',
    (error as Error).message,
    0,
  );
}

/** The storage's error code: our local store answers JSON, S3 answers XML. */
function storageCode(text: string, status: number): string {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string') return code;
  } catch {
    // not JSON
  }
  const xml = /<Code>([^<]+)<\/Code>/.exec(text);
  return xml ? `s3_${xml[1]}` : `storage_${status}`;
}
