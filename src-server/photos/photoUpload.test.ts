import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoExpiresAt } from '../../src-shared/retention/deadlines.js';
import {
  as,
  bootstrapOperator,
  createMember,
  errorCodeOf,
  movableClock,
  signIn,
  tenantWithAdmin,
} from '../testing/accountFixtures.js';
import { addMemberAs, createAlbumAs, readFeed } from '../testing/albumFixtures.js';
import { transfer } from '../testing/binaryTransfer.js';
import { startS3rverStore } from '../testing/s3rverStore.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestBlobStore, type TestServer } from '../testing/testServer.js';
import { cleanupStaleUploads } from './cleanupStaleUploads.js';
import { PART_BYTES } from './photoService.js';

type Store = 'local' | 's3';

interface Upload {
  photo: { id: string; status: string };
  duplicate: boolean;
  upload:
    | { kind: 'single'; url: string; headers: Record<string, string> }
    | {
        kind: 'multipart';
        partSize: number;
        parts: { partNumber: number; size: number; url: string }[];
        completedParts: { partNumber: number; etag: string }[];
      }
    | null;
}

interface PhotoState {
  id: string;
  status: string;
  failure: { reason: string; message: string } | null;
  width: number | null;
  height: number | null;
  expiresAt: string | null;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** s3rver on a free port with a fresh bucket; the store the server under test uses. */
const s3Store = (): Promise<TestBlobStore> => startS3rverStore('weebum-photos');

/** A 1200 x 800 JPEG (landscape): its thumbnail is 320 x 213. */
const cameraJpeg = (background = '#2e86de') =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background } })
    .jpeg({ quality: 85 })
    .toBuffer();

const CASES = DIALECTS.flatMap((dialect) =>
  (['local', 's3'] as const).map((store) => [dialect, store] as const),
);

describe.each(CASES)('photo upload on %s with the %s store', (dialect, storeKind: Store) => {
  let server: TestServer;
  const clock = movableClock();
  let designer: { id: string; token: string; password: string };
  let staff: { id: string; token: string };
  let albumId: string;
  let otherAlbumId: string;
  let operator: Awaited<ReturnType<typeof bootstrapOperator>>;
  /** An album of the same studio that the designer is not a member of. */
  let closedAlbumId: string;

  beforeAll(async () => {
    server = await startTestServer({
      dialect,
      now: clock.now,
      ...(storeKind === 's3' ? { blobStore: s3Store } : {}),
      // Multipart parts of 8 MiB go to the store, not through the JSON body limit.
    });
    operator = await bootstrapOperator(server, clock.now);
    const studio = await tenantWithAdmin(server, operator, 'studio', 'photo-studio');
    const school = await tenantWithAdmin(server, operator, 'school', 'photo-school');
    const d = await createMember(server, studio.admin, {
      loginId: 'photo-designer',
      displayName: 'Designer',
      role: 'designer',
    });
    const s = await createMember(server, school.admin, {
      loginId: 'photo-staff',
      displayName: 'Staff',
      role: 'school_staff',
    });
    designer = { id: d.id, token: d.session.accessToken, password: d.password };
    staff = { id: s.id, token: s.session.accessToken };
    albumId = await createAlbumAs(server, studio.admin.accessToken, school.tenantId);
    otherAlbumId = await createAlbumAs(server, studio.admin.accessToken, school.tenantId);
    closedAlbumId = await createAlbumAs(server, studio.admin.accessToken, school.tenantId);
    for (const id of [albumId, otherAlbumId]) {
      await addMemberAs(server, studio.admin.accessToken, id, designer.id);
      await addMemberAs(server, school.admin.accessToken, id, staff.id);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const api = (token: string) => as(server, token);
  const start = async (
    token: string,
    bytes: Buffer,
    claim: Partial<{ sha256: string; size: number; contentType: string; album: string }> = {},
  ): Promise<Upload> => {
    const res = await api(token)(`/v1/albums/${claim.album ?? albumId}/photos/uploads`, 'POST', {
      sha256: claim.sha256 ?? sha256(bytes),
      size: claim.size ?? bytes.length,
      fileName: 'DSC_0042.JPG',
      contentType: claim.contentType ?? 'image/jpeg',
    });
    expect(res.status, res.text).toBe(200);
    return res.json as Upload;
  };
  const putSingle = async (answer: Upload, bytes: Buffer) => {
    if (answer.upload?.kind !== 'single') throw new Error('expected a single PUT');
    return transfer(answer.upload.url, {
      method: 'PUT',
      body: bytes,
      headers: { ...answer.upload.headers, 'content-length': String(bytes.length) },
      ca: server.ca,
    });
  };
  /**
   * Completes and waits for the background processing, as a client following the photo's
   * status does: the answer is the photo once it is no longer `processing`.
   */
  const complete = async (token: string, photoId: string, album = albumId) => {
    const answer = await api(token)(`/v1/albums/${album}/photos/${photoId}/complete`, 'POST');
    if (answer.status !== 200 || (answer.json as PhotoState).status !== 'processing') {
      return answer;
    }
    // Polled every 50 ms for up to a minute: a deadline for a loaded machine, not a speed.
    for (let i = 0; i < 1200; i++) {
      const current = await api(token)(`/v1/albums/${album}/photos/${photoId}`);
      if ((current.json as PhotoState).status !== 'processing') return current;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`photo ${photoId} is still processing`);
  };
  const uploadAndComplete = async (
    bytes: Buffer,
    claim: Parameters<typeof start>[2] = {},
  ): Promise<PhotoState> => {
    const answer = await start(designer.token, bytes, claim);
    expect((await putSingle(answer, bytes)).status).toBe(200);
    const done = await complete(designer.token, answer.photo.id);
    expect(done.status, done.text).toBe(200);
    return done.json as PhotoState;
  };

  it('check, upload, complete, ready; download URLs work; the thumbnail is 320 px', async () => {
    const jpeg = await cameraJpeg();
    const check = await api(designer.token)(`/v1/albums/${albumId}/photos/check`, 'POST', {
      hashes: [sha256(jpeg)],
    });
    expect(check.json).toEqual({ existing: [] });
    const cursor = (await readFeed(server, designer.token, albumId)).nextAfter;

    const answer = await start(designer.token, jpeg);
    expect(answer.upload?.kind).toBe('single');
    expect(answer.photo.status).toBe('uploading');
    expect(JSON.stringify(answer)).not.toContain('..');
    expect((await putSingle(answer, jpeg)).status).toBe(200);
    const done = await complete(designer.token, answer.photo.id);
    expect(done.status, done.text).toBe(200);
    const photo = done.json as PhotoState;
    expect(photo).toMatchObject({ status: 'ready', width: 1200, height: 800, failure: null });
    // P11: 16 months after the upload was completed.
    const expected = photoExpiresAt(clock.now()).getTime();
    expect(Math.abs(new Date(photo.expiresAt ?? 0).getTime() - expected)).toBeLessThan(60_000);
    // Completing again answers the photo as it is.
    expect((await complete(designer.token, answer.photo.id)).json).toMatchObject({
      status: 'ready',
    });

    const checked = await api(staff.token)(`/v1/albums/${albumId}/photos/check`, 'POST', {
      hashes: [sha256(jpeg), '0'.repeat(64)],
    });
    expect(checked.json).toEqual({
      existing: [{ sha256: sha256(jpeg), photoId: photo.id, status: 'ready' }],
    });

    for (const [variant, width] of [
      ['thumbnail', 320],
      ['preview', 1200],
      ['original', 1200],
    ] as const) {
      const link = await api(staff.token)(
        `/v1/albums/${albumId}/photos/${photo.id}/url?variant=${variant}`,
      );
      expect(link.status).toBe(200);
      const { url, expiresAt } = link.json as { url: string; expiresAt: string };
      expect(new Date(expiresAt).getTime() - clock.now().getTime()).toBeLessThanOrEqual(300_000);
      const got = await transfer(url, { method: 'GET', ca: server.ca });
      expect(got.status).toBe(200);
      expect((await sharp(got.body).metadata()).width, variant).toBe(width);
      if (variant === 'original') expect(got.body.equals(jpeg)).toBe(true);
    }

    const feed = await readFeed(server, staff.token, albumId, cursor);
    expect(feed.changes.map((c) => [c.entity, c.entityId, c.version])).toEqual([
      ['photo', photo.id, 1],
      ['photo', photo.id, 2],
      ['photo', photo.id, 3],
    ]);
    expect(feed.changes.at(-1)?.photo).toMatchObject({ status: 'ready' });
  });

  it('streams a ready photo to album members, and to nobody else', async () => {
    const jpeg = await cameraJpeg('#ee5253');
    const photo = await uploadAndComplete(jpeg);
    const content = (token: string, variant: string, album = albumId, id = photo.id) =>
      transfer(`${server.url}/v1/albums/${album}/photos/${id}/content?variant=${variant}`, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
        ca: server.ca,
      });
    // The school's staff sees what the studio's designer uploaded, over the API itself.
    const original = await content(staff.token, 'original');
    expect(original.status).toBe(200);
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect(original.body.equals(jpeg)).toBe(true);
    const thumbnail = await content(staff.token, 'thumbnail');
    expect(thumbnail.status).toBe(200);
    expect(await sharp(thumbnail.body).metadata()).toMatchObject({ width: 320, format: 'jpeg' });
    // Another album's photo id, or an album the caller is not in: 404 as if it did not exist.
    expect((await content(designer.token, 'original', otherAlbumId)).status).toBe(404);
    const outsider = await tenantWithAdmin(server, operator, 'studio', 'photo-outsider');
    expect((await content(outsider.admin.accessToken, 'original')).status).toBe(404);
    expect((await content('not-a-token', 'original')).status).toBe(401);
    // Not ready yet: nothing to stream.
    const pending = await start(designer.token, await cameraJpeg('#576574'));
    const early = await content(designer.token, 'thumbnail', albumId, pending.photo.id);
    expect([early.status, JSON.parse(early.body.toString()) as unknown]).toMatchObject([
      409,
      { error: { code: 'photo_not_ready' } },
    ]);
  });

  it('answers a second upload of the same bytes with the existing photo', async () => {
    const jpeg = await cameraJpeg('#10ac84');
    const first = await uploadAndComplete(jpeg);
    for (const token of [designer.token, staff.token]) {
      const again = await start(token, jpeg);
      expect(again).toMatchObject({ duplicate: true, upload: null, photo: { id: first.id } });
    }
    // Another album has its own photos: the same bytes are a new photo there.
    const elsewhere = await start(designer.token, jpeg, { album: otherAlbumId });
    expect(elsewhere.duplicate).toBe(false);
    expect(elsewhere.photo.id).not.toBe(first.id);
    await putSingle(elsewhere, jpeg);
    expect((await complete(designer.token, elsewhere.photo.id, otherAlbumId)).json).toMatchObject({
      status: 'ready',
    });
  });

  it('starts several uploads in one call, each with its own answer', async () => {
    const [known, first, second] = await Promise.all(
      ['#341f97', '#ff9f43', '#0abde3'].map((c) => cameraJpeg(c)),
    );
    const existing = await uploadAndComplete(known!);
    const claim = (bytes: Buffer, size = bytes.length) => ({
      sha256: sha256(bytes),
      size,
      fileName: 'DSC_0100.JPG',
      contentType: 'image/jpeg',
    });
    const batch = (token: string, uploads: ReturnType<typeof claim>[], album = albumId) =>
      api(token)(`/v1/albums/${album}/photos/uploads/batch`, 'POST', { uploads });
    const res = await batch(designer.token, [
      claim(first!),
      claim(known!),
      claim(second!),
      claim(randomBytes(32), 600 * 1024 * 1024),
    ]);
    expect(res.status, res.text).toBe(200);
    const results = (res.json as { results: { ok: boolean; value?: Upload; error?: unknown }[] })
      .results;
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[1]!.value).toMatchObject({ duplicate: true, photo: { id: existing.id } });
    expect(results[3]!.error).toMatchObject({ code: 'photo_too_large' });
    const [a, , b] = results.map((r) => r.value!);
    expect(a!.upload?.kind).toBe('single');
    expect(b!.photo.id).not.toBe(a!.photo.id);

    // Asking again resumes the same uploads (the client restarted before sending).
    const again = await batch(designer.token, [claim(first!)]);
    const resumed = (again.json as { results: { value: Upload }[] }).results[0]!.value;
    expect(resumed).toMatchObject({ duplicate: false, photo: { id: a!.photo.id } });

    for (const [answer, bytes] of [
      [resumed, first!],
      [b!, second!],
    ] as const) {
      expect((await putSingle(answer, bytes)).status).toBe(200);
      expect((await complete(designer.token, answer.photo.id)).json).toMatchObject({
        status: 'ready',
      });
    }

    // An album the caller cannot see, or cannot upload to, answers as a whole.
    expect((await batch(designer.token, [claim(first!)], closedAlbumId)).status).toBe(404);
    const tooMany = Array.from({ length: 101 }, () => claim(first!));
    expect((await batch(designer.token, tooMany)).status).toBe(400);
  });

  it('resumes a multipart upload from the parts our server recorded', async () => {
    // An uncompressed TIFF over 64 MiB (4800 x 4800 RGB): a real image, sent in 8 MiB parts.
    const tiff = await sharp({
      create: { width: 4800, height: 4800, channels: 3, background: '#ee5253' },
    })
      .tiff({ compression: 'none' })
      .toBuffer();
    expect(tiff.length).toBeGreaterThan(64 * 1024 * 1024);
    const claim = { contentType: 'image/tiff' };
    const first = await start(designer.token, tiff, claim);
    if (first.upload?.kind !== 'multipart') throw new Error('expected multipart');
    expect(first.upload.partSize).toBe(PART_BYTES);
    expect(first.upload.parts).toHaveLength(Math.ceil(tiff.length / PART_BYTES));
    const photoId = first.photo.id;
    const sendPart = async (part: { partNumber: number; url: string }) => {
      const from = (part.partNumber - 1) * PART_BYTES;
      const body = tiff.subarray(from, from + PART_BYTES);
      const res = await transfer(part.url, {
        method: 'PUT',
        body,
        headers: { 'content-length': String(body.length) },
        ca: server.ca,
      });
      expect(res.status).toBe(200);
      const recorded = await api(designer.token)(
        `/v1/albums/${albumId}/photos/${photoId}/parts`,
        'POST',
        { partNumber: part.partNumber, etag: res.headers.etag },
      );
      expect(recorded.status, recorded.text).toBe(200);
    };
    for (const part of first.upload.parts.slice(0, 3)) await sendPart(part);
    const early = await complete(designer.token, photoId);
    expect(early.status).toBe(409);
    expect(errorCodeOf(early)).toBe('upload_incomplete');
    // Someone else cannot record parts of, or complete, this upload.
    const foreign = await api(staff.token)(
      `/v1/albums/${albumId}/photos/${photoId}/parts`,
      'POST',
      {
        partNumber: 4,
        etag: '"x"',
      },
    );
    expect(foreign.status).toBe(404);

    // The client restarts and knows nothing but the file: asking again resumes.
    const resumed = await start(designer.token, tiff, claim);
    if (resumed.upload?.kind !== 'multipart') throw new Error('expected multipart');
    expect(resumed.photo.id).toBe(photoId);
    expect(resumed.upload.completedParts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    const done = new Set(resumed.upload.completedParts.map((p) => p.partNumber));
    for (const part of resumed.upload.parts.filter((p) => !done.has(p.partNumber))) {
      await sendPart(part);
    }
    const finished = await complete(designer.token, photoId);
    expect(finished.status, finished.text).toBe(200);
    expect(finished.json).toMatchObject({ status: 'ready', width: 4800, height: 4800 });

    if (storeKind === 'local') {
      // A part URL used again after completion: the upload is gone.
      const replay = await transfer(first.upload.parts[0]!.url, {
        method: 'PUT',
        body: randomBytes(16),
        headers: { 'content-length': '16' },
        ca: server.ca,
      });
      expect(replay.status).toBe(410);
    }
  }, 120_000);

  it('refuses what is not a photo we can print, says why, and keeps no bytes', async () => {
    const jpeg = await cameraJpeg('#576574');
    const cursor = (await readFeed(server, designer.token, albumId)).nextAfter;
    const cases: [string, Buffer, Parameters<typeof start>[2]][] = [
      ['not_an_image', Buffer.from('%PDF-1.7 this is a document, not a photo'), {}],
      ['corrupt_image', jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), {}],
      ['too_many_pixels', pngBomb(), { contentType: 'image/png' }],
      ['hash_mismatch', jpeg, { sha256: sha256(Buffer.from('other bytes')) }],
    ];
    const failedIds: string[] = [];
    for (const [reason, bytes, claim] of cases) {
      const before = clock.now();
      const photo = await uploadAndComplete(bytes, claim);
      expect(photo.status, reason).toBe('failed');
      expect(photo.failure?.reason).toBe(reason);
      // Its row (file name, hash) is erased on a photo's schedule too (P11).
      const expiresAt = new Date(photo.expiresAt ?? 0);
      expect(expiresAt >= photoExpiresAt(before), reason).toBe(true);
      expect(expiresAt <= photoExpiresAt(clock.now()), reason).toBe(true);
      failedIds.push(photo.id);
      const url = await api(designer.token)(`/v1/albums/${albumId}/photos/${photo.id}/url`);
      expect(errorCodeOf(url)).toBe('photo_not_ready');
      const got = await api(staff.token)(`/v1/albums/${albumId}/photos/${photo.id}`);
      expect(got.json).toMatchObject({ status: 'failed', failure: { reason } });
    }

    // Fewer bytes than claimed: the local store refuses the PUT (nothing stored); S3
    // (s3rver) takes it. Either way the processor fails the photo with the reason.
    const short = await start(designer.token, jpeg);
    const shortPut = await putSingle(short, jpeg.subarray(0, jpeg.length - 10)).catch(
      () => undefined,
    );
    const refused = (await complete(designer.token, short.photo.id)).json;
    expect(refused).toMatchObject({
      status: 'failed',
      failure: { reason: shortPut?.status === 200 ? 'size_mismatch' : 'upload_missing' },
    });
    expect(
      (await api(designer.token)(`/v1/albums/${albumId}/photos/${short.photo.id}`)).json,
    ).toMatchObject({ status: 'failed' });
    failedIds.push(short.photo.id);

    // Completed without sending anything: failed by the processor, not left waiting.
    const empty = await start(designer.token, await cameraJpeg('#222f3e'));
    expect((await complete(designer.token, empty.photo.id)).json).toMatchObject({
      status: 'failed',
      failure: { reason: 'upload_missing' },
    });
    failedIds.push(empty.photo.id);

    // The uploader learns it from the feed too.
    const feed = await readFeed(server, designer.token, albumId, cursor);
    const failures = feed.changes.filter((c) => c.photo?.status === 'failed');
    expect(new Set(failures.map((c) => c.entityId))).toEqual(new Set(failedIds));
    // A failed attempt does not block uploading the real bytes of the same hash later.
    const retry = await uploadAndComplete(jpeg);
    expect(retry.status).toBe('ready');
  });

  it('answers 404 to completing an upload of someone else or of another album', async () => {
    const jpeg = await cameraJpeg('#f368e0');
    const answer = await start(designer.token, jpeg);
    await putSingle(answer, jpeg);
    expect((await complete(staff.token, answer.photo.id)).status).toBe(404);
    expect((await complete(designer.token, answer.photo.id, otherAlbumId)).status).toBe(404);
    expect((await complete(designer.token, answer.photo.id)).json).toMatchObject({
      status: 'ready',
    });
  });

  it('aborts uploads left unfinished for 24 hours', async () => {
    const stale = await start(designer.token, await cameraJpeg('#01a3a4'));
    const cursor = (await readFeed(server, designer.token, albumId)).nextAfter;
    // Access tokens live 15 minutes: sign in again after each jump of the clock.
    const signInAgain = async () => {
      const res = await signIn(server, 'photo-designer', designer.password);
      designer = { ...designer, token: (res.json as { accessToken: string }).accessToken };
    };
    clock.advance(23 * 3600_000);
    await signInAgain();
    const fresh = await start(designer.token, await cameraJpeg('#222f3e'));
    const { db } = server.database;
    expect(await cleanupStaleUploads(db, server.blobs, clock.now)).toBe(0);
    clock.advance(2 * 3600_000);
    expect(await cleanupStaleUploads(db, server.blobs, clock.now)).toBe(1);
    await signInAgain();
    expect(
      (await api(designer.token)(`/v1/albums/${albumId}/photos/${stale.photo.id}`)).status,
    ).toBe(404);
    expect(
      (await api(designer.token)(`/v1/albums/${albumId}/photos/${fresh.photo.id}`)).json,
    ).toMatchObject({ status: 'uploading' });
    const feed = await readFeed(server, designer.token, albumId, cursor);
    expect(feed.changes.at(-1)).toMatchObject({
      entity: 'photo',
      entityId: stale.photo.id,
      op: 'delete',
      photo: null,
    });
  });
});

/** A PNG whose header claims 20,000 x 20,000 pixels (the decompression-bomb shape). */
function pngBomb(): Buffer {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  png.writeUInt32BE(20_000, 16);
  png.writeUInt32BE(20_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
