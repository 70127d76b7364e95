import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  addDataKey,
  generateKeyringFile,
  keyringFrom,
  type KeyringFile,
} from '../crypto/keyring.js';
import { transfer } from '../testing/binaryTransfer.js';
import { startTestServer } from '../testing/testServer.js';
import { photoKey, type BlobKey } from './blobKeys.js';
import { createLocalBlobStore, plainObjectsAt, type PlainObjects } from './localBlobStore.js';

const now = new Date('2026-12-01T00:00:00Z');

function openStore(
  root: string,
  keyringFile: KeyringFile,
  plainObjects: PlainObjects = 'refuse',
): ReturnType<typeof createLocalBlobStore> {
  return createLocalBlobStore({
    root,
    secret: randomBytes(32),
    baseUrl: () => 'https://127.0.0.1:1',
    keyring: keyringFrom(keyringFile),
    plainObjects,
  });
}

const newRoot = () => mkdtempSync(join(tmpdir(), 'weebum-sealed-'));
const fileOf = (root: string, key: string) => join(root, 'objects', ...key.split('/'));
const newKey = (tenant = randomUUID(), variant: 'original' | 'preview' = 'original') =>
  photoKey(tenant, randomUUID(), randomUUID(), variant);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The token of a local signed URL, as the route hands it to the store. */
const tokenOf = (url: string) => new URL(url).pathname.slice('/v1/blobs/'.length);

/** Byte i is i mod 251 (see the contract's range test); 200,000 bytes: four chunks. */
const knownBody = () => Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));

/** On disk: a 96-byte header, then 64 KiB chunks of ciphertext, each with a 16-byte tag. */
const CHUNK_ON_DISK = 65_536 + 16;
const HEADER = 96;

describe('local blob store: encryption at rest', () => {
  const keyringFile = generateKeyringFile(now);

  it('seals a real JPEG on every write path (no JPEG signature, no plaintext on disk); downloads decrypt, whole or a range', async () => {
    const marker = 'WEEBUM-PLAINTEXT-MARKER Yamada Hanako';
    const jpeg = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#3a7bd5' },
    })
      .withExif({ IFD0: { ImageDescription: marker } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const markerBytes = Buffer.from(marker, 'utf8');
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(jpeg.includes(markerBytes)).toBe(true);

    const server = await startTestServer({ dialect: 'pglite' });
    try {
      const local = server.localBlobs!;
      const root = join(server.dataDir, 'blobs');
      const tenant = randomUUID();
      // A server-side write (derivatives), a client's presigned PUT over HTTPS, and the parts
      // of a multipart upload (one completed, one still waiting).
      const derivative = newKey(tenant, 'preview');
      await local.store.write(derivative, jpeg, 'image/jpeg');
      const uploaded = newKey(tenant);
      const put = await local.store.presignPut(uploaded, {
        contentLength: jpeg.length,
        contentType: 'image/jpeg',
        expiresInSeconds: 60,
      });
      const answer = await transfer(put.url, {
        method: 'PUT',
        body: jpeg,
        headers: put.headers,
        ca: server.ca,
      });
      expect(answer.status).toBe(200);
      // ETag and size as the client knows them: the plaintext's.
      expect(answer.headers.etag).toBe(`"${createHash('md5').update(jpeg).digest('hex')}"`);
      const multipart = newKey(tenant);
      const uploadId = await local.store.createMultipart(multipart, 'image/jpeg');
      const part = await transfer(await local.store.presignPart(multipart, uploadId, 1, 60), {
        method: 'PUT',
        body: jpeg,
        ca: server.ca,
      });
      expect(part.status).toBe(200);
      const pending = newKey(tenant);
      const pendingUpload = await local.store.createMultipart(pending, 'image/jpeg');
      await transfer(await local.store.presignPart(pending, pendingUpload, 1, 60), {
        method: 'PUT',
        body: jpeg,
        ca: server.ca,
      });
      await local.store.completeMultipart(multipart, uploadId, [
        { partNumber: 1, etag: part.headers.etag as string },
      ]);

      const onDisk = [
        ...(await filesUnder(join(root, 'objects'))),
        ...(await filesUnder(join(root, 'multipart'))).filter((f) => !f.endsWith('/key')),
      ];
      expect(onDisk).toHaveLength(4);
      for (const file of onDisk) {
        const bytes = await readFile(file);
        expect(bytes.subarray(0, 8).toString('latin1'), file).toBe('WEEBUMBL');
        expect(bytes.includes(jpeg.subarray(0, 4)), file).toBe(false);
        expect(bytes.includes(markerBytes), file).toBe(false);
        expect(bytes.includes(jpeg.subarray(1000, 1032)), file).toBe(false);
      }
      for (const key of [derivative, uploaded, multipart]) {
        expect(await local.store.head(key)).toEqual({ size: jpeg.length });
        expect((await readAll(await local.store.read(key))).equals(jpeg)).toBe(true);
      }
      const download = await transfer(
        await local.store.presignGet(uploaded, { expiresInSeconds: 60 }),
        { method: 'GET', ca: server.ca },
      );
      expect(download.headers['content-length']).toBe(String(jpeg.length));
      expect(download.body.equals(jpeg)).toBe(true);
      const getUrl = await local.store.presignGet(uploaded, { expiresInSeconds: 60 });
      const tail = await transfer(getUrl, {
        method: 'GET',
        headers: { range: 'bytes=-100' },
        ca: server.ca,
      });
      expect(tail.status).toBe(206);
      expect(tail.headers['content-range']).toBe(
        `bytes ${jpeg.length - 100}-${jpeg.length - 1}/${jpeg.length}`,
      );
      expect(tail.body.equals(jpeg.subarray(jpeg.length - 100))).toBe(true);
      const beyond = await transfer(getUrl, {
        method: 'GET',
        headers: { range: `bytes=${jpeg.length}-` },
        ca: server.ca,
      });
      expect(beyond.status).toBe(416);
      expect(beyond.headers['content-range']).toBe(`bytes */${jpeg.length}`);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('keeps sizes those of the plaintext, one tag per 64 KiB chunk on disk', async () => {
    const root = newRoot();
    const { store } = openStore(root, keyringFile);
    // plaintext bytes → bytes on disk: header 96, plus 16 per chunk (an empty blob has one).
    for (const [size, onDisk] of [
      [0, 112],
      [1, 113],
      [65_535, 65_647],
      [65_536, 65_648],
      [65_537, 65_665],
      [131_072, 131_200],
    ] as const) {
      const key = newKey();
      const body = randomBytes(size);
      await store.write(key, body, 'image/jpeg');
      expect((await stat(fileOf(root, key))).size).toBe(onDisk);
      expect(await store.head(key)).toEqual({ size });
      expect((await readAll(await store.read(key))).equals(body)).toBe(true);
    }
  });

  it('fails to read a tampered chunk, and never hands out its bytes', async () => {
    const root = newRoot();
    const { store } = openStore(root, keyringFile);
    const key = newKey();
    await store.write(key, knownBody(), 'image/jpeg');
    const path = fileOf(root, key);
    const bytes = await readFile(path);
    const at = HEADER + CHUNK_ON_DISK + 10; // a byte of chunk 1's ciphertext
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    await writeFile(path, bytes);
    await expect(readAll(await store.read(key))).rejects.toThrow(
      `blob ${key}: chunk 1 failed authentication`,
    );
    await expect(
      readAll(await store.read(key, { offset: 65_536 + 5, length: 10 })),
    ).rejects.toMatchObject({ code: 'blob_corrupt' });
  });

  it('fails to read chunks swapped in place', async () => {
    const root = newRoot();
    const { store } = openStore(root, keyringFile);
    const key = newKey();
    await store.write(key, knownBody(), 'image/jpeg');
    const path = fileOf(root, key);
    const bytes = await readFile(path);
    const chunk0 = Buffer.from(bytes.subarray(HEADER, HEADER + CHUNK_ON_DISK));
    bytes.copy(bytes, HEADER, HEADER + CHUNK_ON_DISK, HEADER + 2 * CHUNK_ON_DISK);
    chunk0.copy(bytes, HEADER + CHUNK_ON_DISK);
    await writeFile(path, bytes);
    await expect(readAll(await store.read(key))).rejects.toThrow(
      `blob ${key}: chunk 0 failed authentication`,
    );
    await expect(
      readAll(await store.read(key, { offset: 65_540, length: 4 })),
    ).rejects.toMatchObject({ code: 'blob_corrupt' });
  });

  it('fails to read a truncated or padded file', async () => {
    const root = newRoot();
    const { store } = openStore(root, keyringFile);
    const body = knownBody();
    // Cut inside the last chunk, cut exactly at a chunk boundary (the final chunk dropped),
    // and bytes appended.
    for (const change of [
      (path: string, size: number) => truncate(path, size - 10),
      (path: string) => truncate(path, HEADER + 3 * CHUNK_ON_DISK),
      (path: string) => writeFile(path, Buffer.alloc(16), { flag: 'a' }),
    ]) {
      const key = newKey();
      await store.write(key, body, 'image/jpeg');
      const path = fileOf(root, key);
      await change(path, (await stat(path)).size);
      const why = `blob ${key}: holds`;
      await expect(store.head(key)).rejects.toThrow(why);
      await expect(store.read(key)).rejects.toThrow(why);
      await expect(store.read(key, { offset: 0, length: 10 })).rejects.toThrow(why);
    }
  });

  it('fails to read an object moved to another key, of its own tenant or another', async () => {
    const root = newRoot();
    const { store } = openStore(root, keyringFile);
    const tenant = randomUUID();
    const key = newKey(tenant);
    await store.write(key, knownBody(), 'image/jpeg');
    const sameAlbum = key.replace(/original$/, 'preview') as BlobKey;
    for (const target of [sameAlbum, newKey(tenant), newKey()]) {
      await mkdir(dirname(fileOf(root, target)), { recursive: true });
      await copyFile(fileOf(root, key), fileOf(root, target));
      await expect(store.read(target)).rejects.toThrow(
        `blob ${target}: header failed authentication`,
      );
      await expect(store.head(target)).rejects.toMatchObject({ code: 'blob_corrupt' });
    }
    expect((await readAll(await store.read(key))).equals(knownBody())).toBe(true);
  });

  it('will not assemble a multipart upload from parts swapped on disk', async () => {
    const root = newRoot();
    const local = openStore(root, keyringFile);
    const key = newKey();
    const uploadId = await local.store.createMultipart(key, 'image/tiff');
    const [one, two] = [randomBytes(70_000), randomBytes(70_000)];
    const etags = [];
    for (const [partNumber, data] of [
      [1, one],
      [2, two],
    ] as const) {
      const url = await local.store.presignPart(key, uploadId, partNumber, 60);
      const etag = await local.receive(tokenOf(url), Readable.from([data]), data.length, undefined);
      etags.push({ partNumber, etag });
    }
    const dir = join(root, 'multipart', uploadId);
    const [p1, p2] = [await readFile(join(dir, 'part-1')), await readFile(join(dir, 'part-2'))];
    await writeFile(join(dir, 'part-1'), p2);
    await writeFile(join(dir, 'part-2'), p1);
    await expect(local.store.completeMultipart(key, uploadId, etags)).rejects.toThrow(
      'header failed authentication',
    );
    expect(await local.store.head(key)).toBeNull();
  });
});

describe('local blob store: objects from before encryption, and key rotation', () => {
  it('still reads a plain object, seals it on re-encryption, then refuses plain files', async () => {
    const keyringFile = generateKeyringFile(now);
    const root = newRoot();
    // What the store wrote before encryption: the bytes themselves at objects/<key>.
    const key = newKey();
    const old = Buffer.from('old plain photo bytes');
    await mkdir(dirname(fileOf(root, key)), { recursive: true });
    await writeFile(fileOf(root, key), old);
    // An existing store with objects is opened as it was: plain objects readable.
    expect(await plainObjectsAt(root)).toBe('read');
    const local = openStore(root, keyringFile, 'read');
    expect(await local.store.head(key)).toEqual({ size: old.length });
    expect((await readAll(await local.store.read(key))).toString()).toBe('old plain photo bytes');
    expect((await readAll(await local.store.read(key, { offset: 4, length: 5 }))).toString()).toBe(
      'plain',
    );
    const fresh = newKey();
    await local.store.write(fresh, Buffer.from('new'), 'image/jpeg');

    expect(await local.reencrypt()).toEqual({
      examined: 2,
      reencrypted: 1,
      skipped: 0,
      failed: [],
    });
    expect((await readFile(fileOf(root, key))).subarray(0, 8).toString('latin1')).toBe('WEEBUMBL');
    expect((await readAll(await local.store.read(key))).toString()).toBe('old plain photo bytes');
    // From now on the store holds only encrypted objects, this instance and the next.
    expect(await plainObjectsAt(root)).toBe('refuse');
    const planted = newKey();
    await mkdir(dirname(fileOf(root, planted)), { recursive: true });
    await writeFile(fileOf(root, planted), Buffer.from('planted'));
    await expect(local.store.read(planted)).rejects.toMatchObject({
      code: 'blob_plain_refused',
      message: `blob ${planted} is not encrypted, and this store holds only encrypted blobs`,
    });
  });

  it('marks a new store encrypted-only at once', async () => {
    const root = newRoot();
    expect(await plainObjectsAt(join(root, 'blobs'))).toBe('refuse');
    const local = openStore(join(root, 'blobs'), generateKeyringFile(now), 'refuse');
    const key = newKey();
    await mkdir(dirname(fileOf(join(root, 'blobs'), key)), { recursive: true });
    await writeFile(fileOf(join(root, 'blobs'), key), Buffer.from('planted'));
    await expect(local.store.head(key)).rejects.toMatchObject({ code: 'blob_plain_refused' });
  });

  it('reads objects under an old key after rotation and re-encrypts them under the new one', async () => {
    const first = generateKeyringFile(now);
    const root = newRoot();
    const before = openStore(root, first);
    const key = newKey();
    await before.store.write(key, knownBody(), 'image/jpeg');
    const keyIdOnDisk = async () => {
      const header = await readFile(fileOf(root, key));
      return header.toString('latin1', 10, 10 + (header[9] ?? 0));
    };
    expect(await keyIdOnDisk()).toBe('k20261201000000');

    const rotated = addDataKey(first, new Date('2027-01-01T00:00:00Z'));
    const after = openStore(root, rotated);
    expect((await readAll(await after.store.read(key))).equals(knownBody())).toBe(true);
    expect(await after.reencrypt()).toMatchObject({ examined: 1, reencrypted: 1, failed: [] });
    expect(await keyIdOnDisk()).toBe('k20270101000000');
    expect((await readAll(await after.store.read(key))).equals(knownBody())).toBe(true);
    // Already under the current key: nothing to do.
    expect(await after.reencrypt()).toMatchObject({ examined: 1, reencrypted: 0 });
    // A keyring without that key cannot read it, and says which key it needs.
    await expect(before.store.read(key)).rejects.toMatchObject({
      code: 'blob_key_unknown',
      message: 'the blob was encrypted with key "k20270101000000", which is not in the keyring',
    });
  });
});
