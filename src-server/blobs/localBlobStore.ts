import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isWellFormedKey, type BlobKey } from './blobKeys.js';
import { BlobNotFoundError, type BlobStore } from './blobStore.js';

/**
 * The embedded default: objects as files under `root`, and URLs that point at our own server
 * (`/v1/blobs/<token>`), signed with HMAC and short-lived, standing in for S3's presigned URLs.
 */
export interface LocalBlobStoreOptions {
  readonly root: string;
  /** 32 random bytes; lives in the data directory, never leaves the server. */
  readonly secret: Buffer;
  /** The server's public origin, known once it listens. */
  readonly baseUrl: () => string;
  readonly now?: () => number;
}

type Grant =
  | { op: 'put'; key: string; exp: number; len: number; ct: string }
  | { op: 'part'; key: string; exp: number; up: string; pn: number }
  | { op: 'get'; key: string; exp: number };

export class BlobUrlError extends Error {
  override readonly name = 'BlobUrlError';
  constructor(
    readonly code:
      'blob_url_invalid' | 'blob_url_expired' | 'blob_size_mismatch' | 'blob_upload_gone',
    message: string,
  ) {
    super(message);
  }
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
const md5Etag = (data: Buffer): string => `"${createHash('md5').update(data).digest('hex')}"`;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;
/** S3's own limit for one part. */
const MAX_PART_BYTES = 5 * 1024 ** 3;

export function createLocalBlobStore(options: LocalBlobStoreOptions) {
  const root = resolve(options.root);
  const objects = join(root, 'objects');
  const uploads = join(root, 'multipart');
  const temp = join(root, 'tmp');
  const now = options.now ?? Date.now;

  const pathOf = (key: string): string => {
    if (!isWellFormedKey(key)) throw new BlobUrlError('blob_url_invalid', 'malformed object key');
    const path = resolve(objects, key);
    // isWellFormedKey already excludes '..'; the prefix check is the second wall.
    if (!path.startsWith(objects + sep)) throw new BlobUrlError('blob_url_invalid', 'key escapes');
    return path;
  };
  const uploadDir = (uploadId: string): string => {
    if (!UPLOAD_ID.test(uploadId)) throw new BlobUrlError('blob_url_invalid', 'bad upload id');
    return join(uploads, uploadId);
  };

  const sign = (grant: Grant): string => {
    const payload = b64url(JSON.stringify(grant));
    const mac = createHmac('sha256', options.secret).update(payload).digest('base64url');
    return `${options.baseUrl()}/v1/blobs/${payload}.${mac}`;
  };

  /** Synchronous work behind a Promise API: errors become rejections, not throws. */
  const promised = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  /** Checks a token's signature and expiry; the grant says what it allows. */
  const verify = (token: string): Grant => {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) throw new BlobUrlError('blob_url_invalid', 'malformed URL');
    const expected = createHmac('sha256', options.secret).update(payload).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new BlobUrlError('blob_url_invalid', 'URL signature does not match');
    }
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Grant;
    if (grant.exp * 1000 < now()) throw new BlobUrlError('blob_url_expired', 'URL has expired');
    return grant;
  };

  const expiry = (seconds: number): number => Math.floor(now() / 1000) + seconds;

  /** Writes a stream to a temporary file, then renames: readers never see half an object. */
  async function writeAtomically(
    path: string,
    body: Readable,
    maxBytes: number,
    exactBytes?: number,
  ): Promise<{ size: number; etag: string }> {
    await mkdir(temp, { recursive: true });
    const tmp = join(temp, randomUUID());
    const md5 = createHash('md5');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes)
              throw new BlobUrlError('blob_size_mismatch', 'body is larger than allowed');
            md5.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { mode: 0o600 }),
      );
      if (exactBytes !== undefined && size !== exactBytes) {
        throw new BlobUrlError('blob_size_mismatch', `expected ${exactBytes} bytes, got ${size}`);
      }
      await mkdir(dirname(path), { recursive: true });
      await rename(tmp, path);
      return { size, etag: `"${md5.digest('hex')}"` };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  const store: BlobStore = {
    kind: 'local',

    presignPut: (key, { contentLength, contentType, expiresInSeconds }) =>
      promised(() => {
        pathOf(key);
        return sign({
          op: 'put',
          key,
          exp: expiry(expiresInSeconds),
          len: contentLength,
          ct: contentType,
        });
      }),

    async createMultipart(key) {
      pathOf(key);
      const uploadId = randomUUID();
      await mkdir(uploadDir(uploadId), { recursive: true });
      await writeFile(join(uploadDir(uploadId), 'key'), key);
      return uploadId;
    },

    presignPart: (key, uploadId, partNumber, expiresInSeconds) =>
      promised(() => {
        pathOf(key);
        uploadDir(uploadId);
        return sign({
          op: 'part',
          key,
          exp: expiry(expiresInSeconds),
          up: uploadId,
          pn: partNumber,
        });
      }),

    async completeMultipart(key, uploadId, parts) {
      const dir = uploadDir(uploadId);
      const boundKey = await readFile(join(dir, 'key'), 'utf8').catch(() => null);
      if (boundKey !== key) throw new BlobUrlError('blob_upload_gone', 'no such multipart upload');
      const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
      await mkdir(temp, { recursive: true });
      const tmp = join(temp, randomUUID());
      const out = await open(tmp, 'w', 0o600);
      try {
        for (const part of ordered) {
          const data = await readFile(join(dir, `part-${part.partNumber}`)).catch(() => null);
          if (!data || md5Etag(data) !== part.etag) {
            throw new BlobUrlError(
              'blob_size_mismatch',
              `part ${part.partNumber} is missing or differs`,
            );
          }
          await out.write(data);
        }
      } catch (error) {
        await out.close();
        await rm(tmp, { force: true });
        throw error;
      }
      await out.close();
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await rename(tmp, path);
      await rm(dir, { recursive: true, force: true });
    },

    async abortMultipart(_key, uploadId) {
      await rm(uploadDir(uploadId), { recursive: true, force: true });
    },

    presignGet: (key, { expiresInSeconds }) =>
      promised(() => {
        pathOf(key);
        return sign({ op: 'get', key, exp: expiry(expiresInSeconds) });
      }),

    async head(key) {
      const info = await stat(pathOf(key)).catch(() => null);
      return info?.isFile() ? { size: info.size } : null;
    },

    async read(key) {
      const path = pathOf(key);
      if (!(await stat(path).catch(() => null))?.isFile()) {
        throw new BlobNotFoundError(`no object ${key}`);
      }
      return createReadStream(path);
    },

    async write(key, body) {
      const path = pathOf(key);
      await mkdir(temp, { recursive: true });
      const tmp = join(temp, randomUUID());
      await writeFile(tmp, body, { mode: 0o600 });
      await mkdir(dirname(path), { recursive: true });
      await rename(tmp, path);
    },

    async writeStream(key, body) {
      await writeAtomically(pathOf(key), body, Number.MAX_SAFE_INTEGER);
    },

    async listKeys(prefix) {
      const base = pathOf(prefix);
      const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(
        (error: unknown) => {
          if ((error as { code?: unknown }).code === 'ENOENT') return [];
          throw error;
        },
      );
      return entries.flatMap((entry) => {
        if (!entry.isFile()) return [];
        const key = join(entry.parentPath, entry.name)
          .slice(objects.length + 1)
          .split(sep)
          .join('/');
        return isWellFormedKey(key) ? [key] : [];
      });
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async deletePrefix(prefix) {
      const dir = resolve(objects, prefix);
      if (!dir.startsWith(objects + sep) || !isWellFormedKey(prefix)) {
        throw new BlobUrlError('blob_url_invalid', 'malformed prefix');
      }
      const files = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
      const count = files.filter((f) => f.isFile()).length;
      await rm(dir, { recursive: true, force: true });
      return count;
    },
  };

  return {
    store,
    /** Serves `PUT /v1/blobs/<token>`: a whole object or one multipart part. Returns the ETag. */
    async receive(
      token: string,
      body: Readable,
      declaredLength: number | undefined,
      contentType: string | undefined,
    ): Promise<string> {
      const grant = verify(token);
      if (grant.op === 'put') {
        if (declaredLength !== grant.len) {
          throw new BlobUrlError('blob_size_mismatch', `Content-Length must be ${grant.len}`);
        }
        if (contentType !== grant.ct) {
          throw new BlobUrlError('blob_url_invalid', `Content-Type must be ${grant.ct}`);
        }
        const written = await writeAtomically(pathOf(grant.key), body, grant.len, grant.len);
        return written.etag;
      }
      if (grant.op === 'part') {
        const dir = uploadDir(grant.up);
        const boundKey = await readFile(join(dir, 'key'), 'utf8').catch(() => null);
        // After completion or abort the upload is gone: a part URL cannot be replayed.
        if (boundKey !== grant.key)
          throw new BlobUrlError('blob_upload_gone', 'upload is finished or unknown');
        return (await writeAtomically(join(dir, `part-${grant.pn}`), body, MAX_PART_BYTES)).etag;
      }
      throw new BlobUrlError('blob_url_invalid', 'this URL is not for uploads');
    },
    /** Serves `GET /v1/blobs/<token>`. */
    async send(token: string): Promise<{ stream: Readable; size: number }> {
      const grant = verify(token);
      if (grant.op !== 'get')
        throw new BlobUrlError('blob_url_invalid', 'this URL is not for downloads');
      const head = await store.head(grant.key as BlobKey);
      if (!head) throw new BlobNotFoundError('no such object');
      return { stream: await store.read(grant.key as BlobKey), size: head.size };
    },
  };
}
export type LocalBlobStore = ReturnType<typeof createLocalBlobStore>;
