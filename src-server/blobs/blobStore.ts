import type { Readable } from 'node:stream';
import type { BlobKey } from './blobKeys.js';

/** A finished part of a multipart upload, as the client reported it to our server. */
export interface UploadedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/**
 * Where photos, derivatives and backups live. Two implementations pass one contract suite
 * (blobStore.contract.ts): S3 for production and local disk for the embedded default. Keys are
 * made by the server (blobKeys.ts); clients only ever see short-lived URLs.
 */
export interface BlobStore {
  readonly kind: 's3' | 'local';
  /** A URL the client PUTs exactly `contentLength` bytes of `contentType` to, until it expires. */
  presignPut(
    key: BlobKey,
    options: { contentLength: number; contentType: string; expiresInSeconds: number },
  ): Promise<string>;
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
  read(key: BlobKey): Promise<Readable>;
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
