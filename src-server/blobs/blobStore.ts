import type { Readable } from 'node:stream';
import type { BlobKey } from './blobKeys.js';

/** A finished part of a multipart upload, as the client reported it to our server. */
export interface UploadedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** A presigned PUT: the client sends exactly `headers` with it (the URL is signed for them). */
export interface PresignedPut {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Bytes `offset` to `offset + length - 1` of an object; `length` at least 1, inside the object. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * Where photos, derivatives and backups live. Two implementations pass one contract suite
 * (blobStore.contract.ts): S3 for production and local disk for the embedded default. Keys are
 * made by the server (blobKeys.ts); clients only ever see short-lived URLs.
 */
export interface BlobStore {
  readonly kind: 's3' | 'local';
  /**
   * A URL the client PUTs exactly `contentLength` bytes of `contentType` to, until it expires,
   * with the headers it must send (S3 also signs its server-side encryption header).
   */
  presignPut(
    key: BlobKey,
    options: { contentLength: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedPut>;
  createMultipart(key: BlobKey, contentType: string): Promise<string>;
  presignPart(
    key: BlobKey,
    uploadId: string,
    partNumber: number,
    expiresInSeconds: number,
  ): Promise<string>;
  completeMultipart(key: BlobKey, uploadId: string, parts: readonly UploadedPart[]): Promise<void>;
  abortMultipart(key: BlobKey, uploadId: string): Promise<void>;
  presignGet(key: BlobKey, options: { expiresInSeconds: number }): Promise<string>;
  /** Size in bytes, or null when there is no such object. */
  head(key: BlobKey): Promise<{ size: number } | null>;
  /** The object, or the `range` of it; a range not inside the object is a BlobRangeError. */
  read(key: BlobKey, range?: ByteRange): Promise<Readable>;
  /** Server-side writes (derivatives, backups). */
  write(key: BlobKey, body: Buffer, contentType: string): Promise<void>;
  /**
   * A server-side write of a body of unknown length in bounded memory (backups, which can be
   * larger than memory). Readers never see a partial object: it appears whole or not at all.
   */
  writeStream(key: BlobKey, body: Readable, contentType: string): Promise<void>;
  /** Every key under a prefix, in no particular order (a few backups, not photos). */
  listKeys(prefix: BlobKey): Promise<BlobKey[]>;
  /** Deleting a missing object is not an error: deletions are retried by jobs. */
  delete(key: BlobKey): Promise<void>;
  /** Deletes every object under a prefix (tenant purge); returns how many. */
  deletePrefix(prefix: BlobKey): Promise<number>;
}

export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  readonly code = 'blob_not_found';
}

export class BlobRangeError extends Error {
  override readonly name = 'BlobRangeError';
  readonly code = 'blob_range_invalid';
}

/** Throws unless `range` lies inside an object of `size` bytes. */
export function checkRange(range: ByteRange, size: number): void {
  const { offset, length } = range;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 1) {
    throw new BlobRangeError(`bad range: offset ${offset}, length ${length}`);
  }
  if (offset + length > size) {
    throw new BlobRangeError(`range ${offset}+${length} is outside the object (${size} bytes)`);
  }
}
