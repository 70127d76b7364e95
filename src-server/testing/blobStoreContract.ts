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
import { BlobNotFoundError, BlobRangeError, type BlobStore } from '../blobs/blobStore.js';
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
      const { url, headers } = await t.store.presignPut(key, {
        contentLength: body.length,
        contentType: 'image/jpeg',
        expiresInSeconds: 60,
      });
      expect(url).not.toContain('..');
      expect(headers).toMatchObject({
        'content-type': 'image/jpeg',
        'content-length': String(body.length),
      });
      const res = await put(url, body, headers);
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
      const { url, headers } = await t.store.presignPut(key, {
        contentLength: 1000,
        contentType: 'image/jpeg',
        expiresInSeconds: 60,
      });
      const res = await put(url, randomBytes(999), { ...headers, 'content-length': '999' });
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

    // Byte i is i mod 251: a period that never lines up with 64 KiB chunks or S3 parts, so
    // each expected slice below is written out by hand.
    const knownBody = () => Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));

    it('reads exact byte ranges, across chunk boundaries and at the ends', async () => {
      const key = newKey();
      await t.store.write(key, knownBody(), 'image/jpeg');
      const slice = async (offset: number, length: number) => [
        ...(await readAll(await t.store.read(key, { offset, length }))),
      ];
      expect(await slice(0, 3)).toEqual([0, 1, 2]);
      // 65536 is the local store's chunk boundary.
      expect(await slice(65_530, 12)).toEqual([19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
      expect(await slice(131_071, 2)).toEqual([49, 50]);
      expect(await slice(199_998, 2)).toEqual([202, 203]);
      const long = await slice(65_535, 65_538);
      expect(long.length).toBe(65_538);
      expect(long.slice(0, 3)).toEqual([24, 25, 26]);
      expect(long.slice(-3)).toEqual([48, 49, 50]);
      for (const [offset, length] of [
        [199_999, 2],
        [200_000, 1],
        [0, 0],
        [-1, 2],
      ] as const) {
        await expect(t.store.read(key, { offset, length })).rejects.toBeInstanceOf(BlobRangeError);
      }
    });

    it('serves an HTTP byte range of a presigned download', async () => {
      const key = newKey();
      await t.store.write(key, knownBody(), 'image/jpeg');
      const url = await t.store.presignGet(key, { expiresInSeconds: 60 });
      const ranged = (range: string) =>
        transfer(url, { method: 'GET', headers: { range }, ...(t.ca ? { ca: t.ca } : {}) });
      const middle = await ranged('bytes=65534-65537');
      expect(middle.status).toBe(206);
      expect(middle.headers['content-range']).toBe('bytes 65534-65537/200000');
      expect([...middle.body]).toEqual([23, 24, 25, 26]);
      // Suffix ranges (`bytes=-2`) are left out: s3rver reads them as `bytes=0-2`.
      const open = await ranged('bytes=199997-');
      expect([...open.body]).toEqual([201, 202, 203]);
      expect((await ranged('bytes=200000-')).status).toBe(416);
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
