import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { listAuditEvents } from '../audit/auditLog.js';
import {
  as,
  bearer,
  bootstrapOperator,
  tenantWithAdmin,
  type TenantWithAdmin,
} from '../testing/accountFixtures.js';
import { createAlbumAs, pageFor, uploadReadyPhoto, withText } from '../testing/albumFixtures.js';
import { transfer } from '../testing/binaryTransfer.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { photoRepository } from '../photos/photoRepository.js';
import type { ExportManifest } from './albumExport.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every entry of a zip, read with yauzl (an independent implementation) and CRC-checked. */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

describe('album export (P1) over HTTPS', () => {
  let server: TestServer;
  let studio: TenantWithAdmin;
  let school: TenantWithAdmin;
  let otherStudio: TenantWithAdmin;
  let albumId: string;
  const photos = new Map<string, Buffer>();

  beforeAll(async () => {
    server = await startTestServer({ dialect: 'pglite' });
    const operator = await bootstrapOperator(server, () => new Date());
    studio = await tenantWithAdmin(server, operator, 'studio', 'export-studio');
    school = await tenantWithAdmin(server, operator, 'school', 'export-school');
    otherStudio = await tenantWithAdmin(server, operator, 'studio', 'export-other');
    albumId = await createAlbumAs(server, studio.admin.accessToken, school.tenantId);
    for (const [i, text] of ['表紙', '3年1組'].entries()) {
      const res = await as(server, studio.admin.accessToken)(
        `/v1/albums/${albumId}/pages`,
        'POST',
        withText(pageFor(albumId, { id: `page-${i}` }), text),
      );
      expect(res.status, res.text).toBe(201);
    }
    for (const background of ['#d53a3a', '#3ad56b']) {
      const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background } })
        .jpeg()
        .toBuffer();
      const id = await uploadReadyPhoto(
        server,
        studio.admin.accessToken,
        albumId,
        jpeg,
        `卒業_${background.slice(1)}.jpg`,
      );
      photos.set(id, jpeg);
    }
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  const download = (token: string, id = albumId) =>
    transfer(`${server.url}/v1/albums/${id}/export`, {
      method: 'GET',
      headers: bearer(token),
      ca: server.ca,
    });

  it('streams a zip with the manifest, every page, and every original with its metadata', async () => {
    const res = await download(school.admin.accessToken);
    expect(res.status, res.body.toString('utf8').slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="weebum-album-${albumId}.zip"`,
    );
    const entries = await unzip(res.body);
    const manifest = JSON.parse(
      (entries.get('manifest.json') as Buffer).toString('utf8'),
    ) as ExportManifest;
    expect(manifest).toMatchObject({
      format: 'weebum-album-export',
      version: 1,
      album: { id: albumId, path: 'album.json', schoolTenantId: school.tenantId },
      roster: null,
    });
    expect(JSON.parse((entries.get('album.json') as Buffer).toString('utf8'))).toMatchObject({
      id: albumId,
    });

    expect(manifest.pages.map((p) => p.path)).toEqual(['pages/page-0.json', 'pages/page-1.json']);
    const cover = (entries.get('pages/page-0.json') as Buffer).toString('utf8');
    expect(JSON.parse(cover)).toMatchObject({ id: 'page-0', albumId });
    expect(cover).toContain('表紙');

    expect(manifest.photos).toHaveLength(2);
    for (const photo of manifest.photos) {
      const original = entries.get(photo.originalPath as string) as Buffer;
      expect(sha256(original)).toBe(photo.sha256);
      expect(original.equals(photos.get(photo.id) as Buffer)).toBe(true);
      const metadata: unknown = JSON.parse(
        (entries.get(photo.metadataPath) as Buffer).toString('utf8'),
      );
      expect(metadata).toMatchObject({
        id: photo.id,
        status: 'ready',
        width: 40,
        height: 30,
        fileName: photo.fileName,
      });
      expect(photo.fileName).toMatch(/^卒業_/);
    }
    expect([...entries.keys()].sort()).toEqual(
      [
        'manifest.json',
        'album.json',
        ...manifest.pages.map((p) => p.path),
        ...manifest.photos.flatMap((p) => [p.originalPath as string, p.metadataPath]),
      ].sort(),
    );

    const [event] = await listAuditEvents(server.database.db, {
      tenantId: school.tenantId,
      limit: 1,
    });
    expect(event).toMatchObject({
      action: 'album.export',
      outcome: 'success',
      actorId: school.adminId,
      targetId: albumId,
      details: { pages: 2, photos: 2 },
    });
  });

  it('lists a photo still being processed without its original: its object may not exist', async () => {
    // Completed without its bytes ever arriving (completion does not look at the object), and
    // claimed by a processor that has not finished: the export must not try to read it.
    const id = randomUUID();
    const db = server.database.db;
    await photoRepository.insertManyUploading(db, [
      {
        id,
        albumId,
        uploadedBy: studio.adminId,
        sha256: sha256(Buffer.from(id)),
        size: 1234,
        fileName: 'IMG_9999.JPG',
        contentType: 'image/jpeg',
        multipartUploadId: null,
        partSize: null,
        now: new Date(),
      },
    ]);
    await photoRepository.markProcessing(db, id, new Date());
    await db.query('UPDATE photos SET processing_claimed_at = now() WHERE id = $1', [id]);

    const res = await download(school.admin.accessToken);
    expect(res.status).toBe(200);
    const entries = await unzip(res.body);
    const manifest = JSON.parse(
      (entries.get('manifest.json') as Buffer).toString('utf8'),
    ) as ExportManifest;
    expect(manifest.photos.find((p) => p.id === id)).toMatchObject({
      status: 'processing',
      originalPath: null,
    });
    expect(entries.has(`photos/${id}/metadata.json`)).toBe(true);
    expect(entries.has(`photos/${id}/original`)).toBe(false);
  });

  it("is 404 for another tenant's album and for a missing one, and 401 without a session", async () => {
    const other = await download(otherStudio.admin.accessToken);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body.toString('utf8'))).toMatchObject({
      error: { code: 'not_found' },
    });
    const missing = await download(
      studio.admin.accessToken,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
    const anonymous = await transfer(`${server.url}/v1/albums/${albumId}/export`, {
      method: 'GET',
      ca: server.ca,
    });
    expect(anonymous.status).toBe(401);
  });
});
