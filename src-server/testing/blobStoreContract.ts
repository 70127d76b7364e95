import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupKey,
  BACKUPS_PREFIX,
  photoKey,
  tenantPrefix,
  type BlobKey,
} from '../blobs/blobKeys.js';
import { BlobNotFoundError, type BlobStore } from '../blobs/blobStore.js';
import { transfer } from './binaryTransfer.js';

export interface BlobStoreUnderTest {
  readonly store: BlobStore;
  /** CA for https URLs (local store behind our server). */
  readonly ca?: Buffer;
  readonly close: () => Promise<void>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const newKey = (tenant = randomUUID()): BlobKey =>
  photoKey(tenant, randomUUID(), randomUUID(), 'original');

/** One behaviour, two stores: S3 (against s3rver) and the local disk store. */
export function blobStoreContract(name: string, setup: () => Promise<BlobStoreUnderTest>): void {
  describe(`blob store contract: ${name}`, () => {
    let t: BlobStoreUnderTest;
    beforeAll(async () => {
      t = await setup();
    });
    afterAll(async () => {
      await t.close();
    });

    const put = (url: string, body: Buffer, headers: Record<string, string>) =>
      transfer(url, { method: 'PUT', body, headers, ...(t.ca ? { ca: t.ca } : {}) });
    const get = (url: string) => transfer(url, { method: 'GET', ...(t.ca ? { ca: t.ca } : {}) });

    it('takes a presigned PUT of exactly the declared bytes and serves them back', async () => {
      const key = newKey();
      const body = randomBytes(200_000);
      const url = await t.store.presignPut(key, {
        contentLength: body.length,
        contentType: 'image/jpeg',
        expiresInSeconds: 60,
      });
      expect(url).not.toContain('..');
      const res = await put(url, body, {
        'content-type': 'image/jpeg',
        'content-length': String(body.length),
      });
      expect(res.status).toBe(200);
      expect(await t.store.head(key)).toEqual({ size: body.length });
      expect((await readAll(await t.store.read(key))).equals(body)).toBe(true);
      const download = await get(await t.store.presignGet(key, { expiresInSeconds: 60 }));
      expect(download.status).toBe(200);
      expect(download.body.equals(body)).toBe(true);
    });

    it('never stores a short body under the declared size', async () => {
      // Real S3 refuses it (the length is signed); s3rver does not check signatures, so the
      // property our server relies on is that head() tells the true size, which completion
      // compares with the claim before accepting a photo.
      const key = newKey();
      const url = await t.store.presignPut(key, {
        contentLength: 1000,
        contentType: 'image/jpeg',
        expiresInSeconds: 60,
      });
      const res = await put(url, randomBytes(999), {
        'content-type': 'image/jpeg',
        'content-length': '999',
      });
      const head = await t.store.head(key);
      expect(res.status >= 400 || head?.size === 999).toBe(true);
      expect(head?.size).not.toBe(1000);
    });

    it('assembles a multipart upload from parts in any order', async () => {
      const key = newKey();
      const part1 = randomBytes(5 * 1024 * 1024);
      const part2 = randomBytes(123_457);
      const uploadId = await t.store.createMultipart(key, 'image/tiff');
      const etags: { partNumber: number; etag: string }[] = [];
      for (const [partNumber, data] of [
        [2, part2],
        [1, part1],
      ] as const) {
        const url = await t.store.presignPart(key, uploadId, partNumber, 60);
        const res = await put(url, data, { 'content-length': String(data.length) });
        expect(res.status).toBe(200);
        const etag = res.headers.etag;
        expect(typeof etag).toBe('string');
        etags.push({ partNumber, etag: etag as string });
      }
      await t.store.completeMultipart(key, uploadId, etags);
      const stored = await readAll(await t.store.read(key));
      expect(stored.equals(Buffer.concat([part1, part2]))).toBe(true);
    });

    it('writes, deletes, and deletes by prefix', async () => {
      const tenant = randomUUID();
      const keys = [newKey(tenant), newKey(tenant), newKey(tenant)];
      for (const key of keys) await t.store.write(key, Buffer.from('x'), 'image/jpeg');
      const outsider = newKey();
      await t.store.write(outsider, Buffer.from('y'), 'image/jpeg');
      await t.store.delete(keys[0] as BlobKey);
      await t.store.delete(keys[0] as BlobKey); // twice: not an error
      expect(await t.store.head(keys[0] as BlobKey)).toBeNull();
      expect(await t.store.deletePrefix(tenantPrefix(tenant))).toBe(2);
      expect(await t.store.head(keys[1] as BlobKey)).toBeNull();
      expect(await t.store.head(outsider)).toEqual({ size: 1 });
      await expect(t.store.read(keys[2] as BlobKey)).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('writes a stream of many parts whole, and lists keys under a prefix', async () => {
      const key = backupKey(randomUUID());
      // Uneven chunks that add up to more than one S3 part (5 MiB).
      const chunks = Array.from({ length: 13 }, (_, i) => randomBytes(400_000 + i * 1_000));
      await t.store.writeStream(key, Readable.from(chunks), 'application/octet-stream');
      const stored = await readAll(await t.store.read(key));
      expect(stored.equals(Buffer.concat(chunks))).toBe(true);
      const other = backupKey(randomUUID());
      await t.store.writeStream(other, Readable.from([]), 'application/octet-stream');
      expect(await t.store.head(other)).toEqual({ size: 0 });
      await t.store.write(newKey(), Buffer.from('not a backup'), 'image/jpeg');
      expect((await t.store.listKeys(BACKUPS_PREFIX)).sort()).toEqual([key, other].sort());
    });

    it('leaves nothing under the key when a streamed body fails mid-way', async () => {
      const key = backupKey(randomUUID());
      async function* failing() {
        yield randomBytes(6 * 1024 * 1024);
        throw new Error('source broke');
      }
      await expect(
        t.store.writeStream(key, Readable.from(failing()), 'application/octet-stream'),
      ).rejects.toThrow('source broke');
      expect(await t.store.head(key)).toBeNull();
    });
  });
}
