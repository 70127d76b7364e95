import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import type { BlobKey } from './blobKeys.js';
import { BlobNotFoundError, BlobRangeError, checkRange, type BlobStore } from './blobStore.js';

export interface S3BlobStoreConfig {
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  readonly forcePathStyle: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Server-side encryption asked for on every write (P8): SSE-S3, or SSE-KMS with this key. */
export interface S3Encryption {
  /** A KMS key id, key ARN or alias; absent: S3-managed keys (AES256). */
  readonly kmsKeyId?: string | undefined;
}

/** The SDK's parameters for a write under `encryption`. */
function sseParams(encryption: S3Encryption) {
  return encryption.kmsKeyId === undefined
    ? { ServerSideEncryption: 'AES256' as const }
    : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: encryption.kmsKeyId };
}

/** The same as request headers, which a presigned PUT is signed for and its client must send. */
function sseHeaders(encryption: S3Encryption): Record<string, string> {
  return encryption.kmsKeyId === undefined
    ? { 'x-amz-server-side-encryption': 'AES256' }
    : {
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': encryption.kmsKeyId,
      };
}

export function createS3Client(config: S3BlobStoreConfig): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    // The SDK's default checksums (since 3.729) bake an empty-body CRC32 into presigned PUTs and
    // corrupt streamed bodies on S3-compatible servers; we verify SHA-256 ourselves after upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** S3's smallest part (but the last); memory use of a streamed write is about one part. */
const STREAM_PART_BYTES = 5 * 1024 * 1024;

/** Regroups a stream's chunks into parts of exactly `size` bytes (the last one shorter). */
async function* fixedParts(body: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      pendingBytes = all.length - size;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

const isNotFound = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    error.$metadata.httpStatusCode === 404);

export function createS3BlobStore(
  client: S3Client,
  bucket: string,
  encryption: S3Encryption = {},
): BlobStore {
  const sse = sseParams(encryption);
  const store: BlobStore = {
    kind: 's3',

    async presignPut(key, { contentLength, contentType, expiresInSeconds }) {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          ContentLength: contentLength,
          ContentType: contentType,
          ...sse,
        }),
        // Signing the length and type means S3 refuses any other body size (a second wall;
        // our server still checks the size and hash after the upload). The presigner keeps the
        // encryption headers as signed headers (never hoisted into the query), so a client
        // that leaves them out is refused.
        {
          expiresIn: expiresInSeconds,
          signableHeaders: new Set(['content-length', 'content-type']),
        },
      );
      return {
        url,
        headers: {
          'content-type': contentType,
          'content-length': String(contentLength),
          ...sseHeaders(encryption),
        },
      };
    },

    async createMultipart(key, contentType) {
      // Parts inherit the encryption chosen here (UploadPart takes none but SSE-C).
      const out = await client.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          ContentType: contentType,
          ...sse,
        }),
      );
      if (!out.UploadId) throw new Error('S3 returned no UploadId');
      return out.UploadId;
    },

    presignPart: (key, uploadId, partNumber, expiresInSeconds) =>
      getSignedUrl(
        client,
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
        }),
        { expiresIn: expiresInSeconds },
      ),

    async completeMultipart(key, uploadId, parts) {
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [...parts]
              .sort((a, b) => a.partNumber - b.partNumber)
              .map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
        }),
      );
    },

    async abortMultipart(key, uploadId) {
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
      );
    },

    presignGet: (key, { expiresInSeconds }) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: expiresInSeconds,
      }),

    async head(key) {
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: out.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async read(key, range) {
      if (range !== undefined) checkRange(range, Number.MAX_SAFE_INTEGER);
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(range === undefined
              ? {}
              : { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` }),
          }),
        );
        if (!(out.Body instanceof Readable)) throw new Error('S3 returned no readable body');
        // S3 shortens a range that runs past the end; the contract refuses it instead.
        if (range !== undefined && out.ContentLength !== range.length) {
          out.Body.destroy();
          throw new BlobRangeError(`range ${range.offset}+${range.length} is outside ${key}`);
        }
        return out.Body;
      } catch (error) {
        if (isNotFound(error)) throw new BlobNotFoundError(`no object ${key}`);
        if (error instanceof S3ServiceException && error.name === 'InvalidRange') {
          throw new BlobRangeError(`range is outside ${key}`);
        }
        throw error;
      }
    },

    async write(key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...sse,
        }),
      );
    },

    async writeStream(key, body, contentType) {
      const uploadId = await store.createMultipart(key, contentType);
      try {
        const parts: { PartNumber: number; ETag: string }[] = [];
        for await (const part of fixedParts(body, STREAM_PART_BYTES)) {
          const out = await client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: parts.length + 1,
              Body: part,
            }),
          );
          if (!out.ETag) throw new Error('S3 returned no ETag for a part');
          parts.push({ PartNumber: parts.length + 1, ETag: out.ETag });
        }
        // S3 refuses a multipart upload without parts: an empty body is one empty part.
        if (parts.length === 0) {
          const out = await client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: 1,
              Body: Buffer.alloc(0),
            }),
          );
          parts.push({ PartNumber: 1, ETag: out.ETag ?? '' });
        }
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
      } catch (error) {
        await store.abortMultipart(key, uploadId).catch(() => undefined);
        throw error;
      }
    },

    async listKeys(prefix) {
      const keys: BlobKey[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key as BlobKey);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async deletePrefix(prefix) {
      let deleted = 0;
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (keys.length > 0) {
          await client.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }),
          );
          deleted += keys.length;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return deleted;
    },
  };
  return store;
}

export type { BlobKey };
