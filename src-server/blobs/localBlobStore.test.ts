import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blobStoreContract } from '../testing/blobStoreContract.js';
import { transfer } from '../testing/binaryTransfer.js';
import { startTestServer } from '../testing/testServer.js';
import { photoKey } from './blobKeys.js';
import { generateKeyringFile, keyringFrom } from '../crypto/keyring.js';
import { createLocalBlobStore } from './localBlobStore.js';

async function startLocal(now: () => number = Date.now) {
  let baseUrl = '';
  const root = `${process.env['TMPDIR'] ?? '/tmp'}/weebum-blobs-${randomUUID()}`;
  const local = createLocalBlobStore({
    root,
    secret: randomBytes(32),
    baseUrl: () => baseUrl,
    now,
    keyring: keyringFrom(generateKeyringFile(new Date())),
    plainObjects: 'refuse',
  });
  const server = await startTestServer({
    dialect: 'pglite',
    blobStore: () => Promise.resolve({ store: local.store, local }),
  });
  baseUrl = server.url;
  return { local, server };
}

blobStoreContract('local disk behind our server', async () => {
  const { local, server } = await startLocal();
  return { store: local.store, ca: server.ca, close: server.close };
});

describe('local blob store URLs', () => {
  it('expire, and a part URL cannot be replayed after completion', async () => {
    let clock = Date.now();
    const { local, server } = await startLocal(() => clock);
    try {
      const key = photoKey(randomUUID(), randomUUID(), randomUUID(), 'original');
      const { url } = await local.store.presignPut(key, {
        contentLength: 4,
        contentType: 'image/png',
        expiresInSeconds: 300,
      });
      clock += 301_000;
      const late = await transfer(url, {
        method: 'PUT',
        body: Buffer.from('abcd'),
        headers: { 'content-type': 'image/png', 'content-length': '4' },
        ca: server.ca,
      });
      expect(late.status).toBe(403);
      expect(JSON.parse(late.body.toString())).toEqual({
        error: { code: 'blob_url_expired', message: 'URL has expired' },
      });

      const uploadId = await local.store.createMultipart(key, 'image/png');
      const partUrl = await local.store.presignPart(key, uploadId, 1, 60);
      const part = await transfer(partUrl, {
        method: 'PUT',
        body: Buffer.from('part'),
        headers: { 'content-length': '4' },
        ca: server.ca,
      });
      await local.store.completeMultipart(key, uploadId, [
        { partNumber: 1, etag: part.headers.etag as string },
      ]);
      const replay = await transfer(partUrl, {
        method: 'PUT',
        body: Buffer.from('evil'),
        headers: { 'content-length': '4' },
        ca: server.ca,
      });
      expect(replay.status).toBe(410);
      expect(await local.store.head(key)).toEqual({ size: 4 });
    } finally {
      await server.close();
    }
  });

  it('refuses a tampered URL and an aborted upload', async () => {
    const { local, server } = await startLocal();
    try {
      const key = photoKey(randomUUID(), randomUUID(), randomUUID(), 'original');
      const { url } = await local.store.presignPut(key, {
        contentLength: 4,
        contentType: 'image/png',
        expiresInSeconds: 60,
      });
      const cut = url.lastIndexOf('.');
      const [base, mac] = [url.slice(0, cut), url.slice(cut + 1)];
      const forgedPayload = Buffer.from(
        JSON.stringify({ op: 'put', key, exp: 9_999_999_999, len: 4, ct: 'image/png' }),
      ).toString('base64url');
      for (const forged of [
        `${base.replace(/[^/]+$/, forgedPayload)}.${mac}`,
        `${base}.${mac.slice(0, -2)}AA`,
      ]) {
        const res = await transfer(forged, {
          method: 'PUT',
          body: Buffer.from('abcd'),
          headers: { 'content-type': 'image/png', 'content-length': '4' },
          ca: server.ca,
        });
        expect(res.status).toBe(403);
        expect(JSON.parse(res.body.toString())).toMatchObject({
          error: { code: 'blob_url_invalid' },
        });
      }
      expect(await local.store.head(key)).toBeNull();

      const uploadId = await local.store.createMultipart(key, 'image/png');
      const partUrl = await local.store.presignPart(key, uploadId, 1, 60);
      await local.store.abortMultipart(key, uploadId);
      const late = await transfer(partUrl, {
        method: 'PUT',
        body: Buffer.from('abcd'),
        headers: { 'content-length': '4' },
        ca: server.ca,
      });
      expect(late.status).toBe(410);
      await expect(
        local.store.completeMultipart(key, uploadId, [{ partNumber: 1, etag: '"x"' }]),
      ).rejects.toThrow(/no such multipart upload/);
      expect(await local.store.head(key)).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('refuses keys that are not made by blobKeys', async () => {
    const { local, server } = await startLocal();
    try {
      for (const bad of ['../etc/passwd', 'tenants/../../x', '/abs/path', 'tenants/%2e%2e/x']) {
        await expect(
          local.store.presignGet(bad as never, { expiresInSeconds: 60 }),
        ).rejects.toThrow(/malformed object key/);
      }
    } finally {
      await server.close();
    }
  });
});
