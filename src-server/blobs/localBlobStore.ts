import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { BlobCipherError, createBlobKeys } from '../crypto/blobCipher.js';
import type { Keyring } from '../crypto/keyring.js';
import { isWellFormedKey, type BlobKey } from './blobKeys.js';
import { BlobNotFoundError, type BlobStore, type ByteRange } from './blobStore.js';
import { ENCRYPTED_ONLY_MARKER, type PlainObjects } from './plainObjects.js';
import { createSealedFiles, type OpenedBlobFile } from './sealedFiles.js';

export { plainObjectsAt, type PlainObjects } from './plainObjects.js';

/**
 * The embedded default: objects as files under `root`, and URLs that point at our own server
 * (`/v1/blobs/<token>`), signed with HMAC and short-lived, standing in for S3's presigned URLs.
 * Every file is encrypted (sealedFiles.ts, crypto/blobCipher.ts): objects, multipart parts and
 * temporary files alike; uploads arrive in plaintext over TLS and are sealed as they are written.
 */
export interface LocalBlobStoreOptions {
  readonly root: string;
  /** 32 random bytes; lives in the data directory, never leaves the server. */
  readonly secret: Buffer;
  /** The server's public origin, known once it listens. */
  readonly baseUrl: () => string;
  readonly now?: () => number;
  /** The server's keyring: blob keys derive from its data keys (P8). */
  readonly keyring: Keyring;
  /**
   * `read`: plain files written before encryption are still served; `refuse`: every object
   * must be encrypted (a new store, or one whose old objects were re-encrypted), so a file
   * planted in the directory is not served as a photo.
   */
  readonly plainObjects: PlainObjects;
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

/** What `reencrypt` did, per object (failures name the key and why, never content). */
export interface ReencryptReport {
  readonly examined: number;
  readonly reencrypted: number;
  /** Changed or deleted while being re-encrypted: left as they are, to be done next time. */
  readonly skipped: number;
  readonly failed: readonly { key: string; code: string }[];
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
const UPLOAD_ID = /^[0-9a-f-]{36}$/;
/** S3's own limit for one part. */
const MAX_PART_BYTES = 5 * 1024 ** 3;
/** A multipart part is bound to its object, upload and number: parts cannot be swapped. */
const partBinding = (key: string, uploadId: string, partNumber: number): string =>
  `${key}#${uploadId}/${partNumber}`;

export function createLocalBlobStore(options: LocalBlobStoreOptions) {
  const root = resolve(options.root);
  const objects = join(root, 'objects');
  const uploads = join(root, 'multipart');
  const temp = join(root, 'tmp');
  const now = options.now ?? Date.now;
  const keys = createBlobKeys(options.keyring);
  let plainObjects = options.plainObjects;
  const files = createSealedFiles({ keys, acceptsPlain: () => plainObjects === 'read' });

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

  /**
   * Seals a stream into a temporary file, then renames it to `path`: readers never see half an
   * object. Size and MD5 ETag (for uploads only: it costs as much CPU as the encryption) are the
   * plaintext's, as clients know them.
   */
  async function writeAtomically(
    path: string,
    boundTo: string,
    body: AsyncIterable<Buffer> | Iterable<Buffer>,
    limits: { maxBytes: number; exactBytes?: number; etag?: boolean },
  ): Promise<{ size: number; etag: string }> {
    await mkdir(temp, { recursive: true });
    const tmp = join(temp, randomUUID());
    const md5 = limits.etag === true ? createHash('md5') : undefined;
    let size = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of body) {
        size += chunk.length;
        if (size > limits.maxBytes) {
          throw new BlobUrlError('blob_size_mismatch', 'body is larger than allowed');
        }
        md5?.update(chunk);
        yield chunk;
      }
    }
    try {
      await files.write(tmp, boundTo, counted());
      if (limits.exactBytes !== undefined && size !== limits.exactBytes) {
        throw new BlobUrlError(
          'blob_size_mismatch',
          `expected ${limits.exactBytes} bytes, got ${size}`,
        );
      }
      await mkdir(dirname(path), { recursive: true });
      await rename(tmp, path);
      return { size, etag: md5 === undefined ? '' : `"${md5.digest('hex')}"` };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /** A stream of the object (or a range of it); the file is closed if no stream comes of it. */
  function streamOf(opened: OpenedBlobFile, range: ByteRange | undefined): Readable {
    try {
      return opened.stream(range);
    } catch (error) {
      void opened.close();
      throw error;
    }
  }

  /** The object keys of the files under a directory of `objects`. */
  async function keysUnder(dir: string): Promise<BlobKey[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(
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
  }

  const store: BlobStore = {
    kind: 'local',

    presignPut: (key, { contentLength, contentType, expiresInSeconds }) =>
      promised(() => {
        pathOf(key);
        return {
          url: sign({
            op: 'put',
            key,
            exp: expiry(expiresInSeconds),
            len: contentLength,
            ct: contentType,
          }),
          headers: { 'content-type': contentType, 'content-length': String(contentLength) },
        };
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
      // Each part is decrypted, checked against the ETag the client reported and sealed again
      // into the object, one chunk at a time.
      async function* joined(): AsyncGenerator<Buffer> {
        for (const part of ordered) {
          const differs = new BlobUrlError(
            'blob_size_mismatch',
            `part ${part.partNumber} is missing or differs`,
          );
          const opened = await files.open(
            join(dir, `part-${part.partNumber}`),
            partBinding(key, uploadId, part.partNumber),
          );
          if (opened === null) throw differs;
          const md5 = createHash('md5');
          for await (const chunk of streamOf(opened, undefined) as AsyncIterable<Buffer>) {
            md5.update(chunk);
            yield chunk;
          }
          if (`"${md5.digest('hex')}"` !== part.etag) throw differs;
        }
      }
      await writeAtomically(pathOf(key), key, joined(), { maxBytes: Number.MAX_SAFE_INTEGER });
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
      const opened = await files.open(pathOf(key), key);
      if (opened === null) return null;
      await opened.close();
      return { size: opened.size };
    },

    async read(key, range) {
      const opened = await files.open(pathOf(key), key);
      if (opened === null) throw new BlobNotFoundError(`no object ${key}`);
      return streamOf(opened, range);
    },

    async write(key, body) {
      await writeAtomically(pathOf(key), key, [body], { maxBytes: Number.MAX_SAFE_INTEGER });
    },

    async writeStream(key, body) {
      await writeAtomically(pathOf(key), key, body as AsyncIterable<Buffer>, {
        maxBytes: Number.MAX_SAFE_INTEGER,
      });
    },

    listKeys: (prefix) => keysUnder(pathOf(prefix)),

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

  /**
   * Seals one object under the current key, unless it is already. The new file replaces the
   * old only if the path still names the file read: an object deleted meanwhile (retention)
   * stays deleted.
   */
  async function reencryptOne(key: BlobKey): Promise<'reencrypted' | 'current' | 'skipped'> {
    const path = pathOf(key);
    const opened = await files.open(path, key);
    if (opened === null) return 'skipped';
    if (opened.keyId === keys.currentKeyId) {
      await opened.close();
      return 'current';
    }
    await mkdir(temp, { recursive: true });
    const tmp = join(temp, randomUUID());
    try {
      await files.write(tmp, key, streamOf(opened, undefined) as AsyncIterable<Buffer>);
      const still = await stat(path).catch(() => null);
      if (still?.ino !== opened.inode) {
        await rm(tmp, { force: true });
        return 'skipped';
      }
      await rename(tmp, path);
      return 'reencrypted';
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  return {
    store,
    /**
     * Seals every object not yet under the keyring's current key: plain objects from before
     * encryption, and objects under an older key (after `keys rotate`). When nothing is left
     * plain, marks the store encrypted-only. Multipart parts are left alone: they live a day.
     */
    async reencrypt(): Promise<ReencryptReport> {
      const all = await keysUnder(objects);
      let reencrypted = 0;
      let skipped = 0;
      const failed: { key: string; code: string }[] = [];
      for (const key of all) {
        try {
          const done = await reencryptOne(key);
          if (done === 'reencrypted') reencrypted++;
          if (done === 'skipped') skipped++;
        } catch (error) {
          const code = error instanceof BlobCipherError ? error.code : 'blob_io_error';
          failed.push({ key, code });
        }
      }
      if (failed.length === 0 && skipped === 0 && plainObjects === 'read') {
        await writeFile(join(root, ENCRYPTED_ONLY_MARKER), '', { mode: 0o600 });
        plainObjects = 'refuse';
      }
      return { examined: all.length, reencrypted, skipped, failed };
    },
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
        const written = await writeAtomically(
          pathOf(grant.key),
          grant.key,
          body as AsyncIterable<Buffer>,
          { maxBytes: grant.len, exactBytes: grant.len, etag: true },
        );
        return written.etag;
      }
      if (grant.op === 'part') {
        const dir = uploadDir(grant.up);
        const boundKey = await readFile(join(dir, 'key'), 'utf8').catch(() => null);
        // After completion or abort the upload is gone: a part URL cannot be replayed.
        if (boundKey !== grant.key)
          throw new BlobUrlError('blob_upload_gone', 'upload is finished or unknown');
        const written = await writeAtomically(
          join(dir, `part-${grant.pn}`),
          partBinding(grant.key, grant.up, grant.pn),
          body as AsyncIterable<Buffer>,
          { maxBytes: MAX_PART_BYTES, etag: true },
        );
        return written.etag;
      }
      throw new BlobUrlError('blob_url_invalid', 'this URL is not for uploads');
    },
    /**
     * Serves `GET /v1/blobs/<token>`: the whole object, or the range `pickRange` chooses once
     * the size is known (HTTP Range). Sizes are the plaintext's.
     */
    async send(
      token: string,
      pickRange: (size: number) => ByteRange | undefined = () => undefined,
    ): Promise<{ stream: Readable; size: number; range: ByteRange | undefined }> {
      const grant = verify(token);
      if (grant.op !== 'get')
        throw new BlobUrlError('blob_url_invalid', 'this URL is not for downloads');
      const key = grant.key as BlobKey;
      const opened = await files.open(pathOf(key), key);
      if (opened === null) throw new BlobNotFoundError('no such object');
      let range: ByteRange | undefined;
      try {
        range = pickRange(opened.size);
      } catch (error) {
        await opened.close();
        throw error;
      }
      return { stream: streamOf(opened, range), size: opened.size, range };
    },
  };
}
export type LocalBlobStore = ReturnType<typeof createLocalBlobStore>;
