import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { blobStoreContract } from '../testing/blobStoreContract.js';
import { transfer } from '../testing/binaryTransfer.js';
import { startS3rverStore, type RecordedS3Request } from '../testing/s3rverStore.js';
import { backupKey, photoKey } from './blobKeys.js';

blobStoreContract('S3 (s3rver)', () => startS3rverStore());

/** What an S3 request does, from its method and query (the SDK's and presigned alike). */
function operationOf(request: RecordedS3Request): string {
  const url = new URL(request.url, 'http://s3');
  const q = url.searchParams;
  if (url.pathname.split('/').filter(Boolean).length === 1) return `${request.method} bucket`;
  if (request.method === 'PUT' && q.has('partNumber')) return 'UploadPart';
  if (request.method === 'PUT')
    return q.has('X-Amz-Signature') ? 'PutObject (presigned)' : 'PutObject';
  if (request.method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (request.method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
  if (request.method === 'POST' && q.has('delete')) return 'DeleteObjects';
  return `${request.method} ${q.size > 0 ? 'with query' : 'plain'}`;
}

const OBJECT_WRITES = new Set(['PutObject', 'PutObject (presigned)', 'CreateMultipartUpload']);

describe.each([
  {
    name: 'SSE-S3 by default',
    kmsKeyId: undefined,
    expected: { 'x-amz-server-side-encryption': 'AES256' },
    signed: 'content-length;content-type;host;x-amz-server-side-encryption',
  },
  {
    name: 'SSE-KMS with a configured key',
    kmsKeyId: 'alias/weebum-photos',
    expected: {
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'alias/weebum-photos',
    },
    signed:
      'content-length;content-type;host;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id',
  },
])('S3 server-side encryption: $name', ({ kmsKeyId, expected, signed }) => {
  it('is asked for on every write path, and the presigned PUT is signed for it', async () => {
    const s3 = await startS3rverStore('weebum-sse', kmsKeyId === undefined ? {} : { kmsKeyId });
    try {
      const tenant = randomUUID();
      const key = () => photoKey(tenant, randomUUID(), randomUUID(), 'original');
      // Server-side writes: a derivative, and a backup streamed in parts.
      await s3.store.write(key(), Buffer.from('derivative'), 'image/jpeg');
      await s3.store.writeStream(
        backupKey(randomUUID()),
        Readable.from([randomBytes(6 * 1024 * 1024)]),
        'application/octet-stream',
      );
      // A client's single PUT with exactly the headers the server hands it.
      const body = randomBytes(1000);
      const presigned = await s3.store.presignPut(key(), {
        contentLength: body.length,
        contentType: 'image/jpeg',
        expiresInSeconds: 60,
      });
      expect(presigned.headers).toEqual({
        'content-type': 'image/jpeg',
        'content-length': '1000',
        ...expected,
      });
      // Signed as headers, not hoisted into the query: S3 refuses a PUT that leaves them out.
      const query = new URL(presigned.url).searchParams;
      expect(query.get('X-Amz-SignedHeaders')).toBe(signed);
      expect(query.has('x-amz-server-side-encryption')).toBe(false);
      expect(
        (await transfer(presigned.url, { method: 'PUT', body, headers: presigned.headers })).status,
      ).toBe(200);
      // A client's multipart upload: the encryption is chosen when it is created.
      const multipartKey = key();
      const uploadId = await s3.store.createMultipart(multipartKey, 'image/tiff');
      const partUrl = await s3.store.presignPart(multipartKey, uploadId, 1, 60);
      const part = await transfer(partUrl, {
        method: 'PUT',
        body,
        headers: { 'content-length': String(body.length) },
      });
      await s3.store.completeMultipart(multipartKey, uploadId, [
        { partNumber: 1, etag: part.headers.etag as string },
      ]);

      const seen = s3.requests().map((r) => ({ op: operationOf(r), headers: r.headers }));
      expect([...new Set(seen.map((r) => r.op))].sort()).toEqual([
        'CompleteMultipartUpload',
        'CreateMultipartUpload',
        'PUT bucket',
        'PutObject',
        'PutObject (presigned)',
        'UploadPart',
      ]);
      for (const request of seen.filter((r) => OBJECT_WRITES.has(r.op))) {
        expect({ op: request.op, headers: request.headers }).toMatchObject({
          op: request.op,
          headers: expected,
        });
      }
      // S3 refuses these headers on parts (they take the upload's encryption).
      for (const request of seen.filter((r) => r.op === 'UploadPart')) {
        expect(request.headers['x-amz-server-side-encryption']).toBeUndefined();
      }
    } finally {
      await s3.close();
    }
  });
});
