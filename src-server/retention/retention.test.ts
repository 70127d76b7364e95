import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobKey } from '../blobs/blobKeys.js';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { createAccessLogWriter } from '../http/accessLogWriter.js';
import type { JobContext } from '../jobs/job.js';
import { runJob } from '../jobs/jobRunner.js';
import { createTenantService } from '../tenants/tenantService.js';
import {
  as,
  bootstrapOperator,
  createMember,
  fixedClock,
  signIn,
  tenantWithAdmin,
  type Session,
} from '../testing/accountFixtures.js';
import { createAlbumAs, pageFor, uploadPhoto } from '../testing/albumFixtures.js';
import { auditOf, count } from '../testing/retentionFixtures.js';
import { startS3rverStore } from '../testing/s3rverStore.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { expirePhotosJob } from './expirePhotos.js';
import { purgeAccessLogJob } from './purgeAccessLog.js';
import { purgeDeletedAlbumsJob } from './purgeDeletedAlbums.js';
import { purgeEndedTenantsJob } from './purgeEndedTenants.js';

/**
 * Every deadline below is a literal date worked out by hand from the white paper (P11: 1 year
 * and 4 months; P4: one calendar year in JST; 30 days for a deleted album; P13: 7 days), never computed with
 * the functions under test. Photos are uploaded through the API and processed by the real
 * processor; what a photo left in the store is whatever appeared in a listing of the whole
 * bucket while it was uploaded, so an object written under any key is seen.
 */

/** One millisecond before a literal instant. */
const justBefore = (instant: string) => new Date(Date.parse(instant) - 1).toISOString();

/** Fails the `n`th delete (1-based): a process killed in the middle of a chunk. */
function crashingOnDelete(blobs: BlobStore, n: number): BlobStore {
  let calls = 0;
  return {
    ...blobs,
    delete: async (key) => {
      calls++;
      if (calls === n) throw new Error('injected crash');
      return blobs.delete(key);
    },
  };
}

/** Random pixels: no two uploads are the same bytes (which the API would answer as one photo). */
const distinctJpeg = () =>
  sharp({
    create: {
      width: 64,
      height: 48,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg()
    .toBuffer();

interface Uploaded {
  readonly id: string;
  readonly albumId: string;
  /** The photo's expiry as the API answers it. */
  readonly expiresAt: string;
  /** The keys that appeared in the store while it was uploaded and processed. */
  readonly objects: readonly string[];
}

describe.each(DIALECTS)('retention jobs (%s, photos uploaded to S3 via s3rver)', (dialect) => {
  const clock = fixedClock('2025-01-31T10:00:00.000Z');
  let server: TestServer;
  let s3: Awaited<ReturnType<typeof startS3rverStore>>;
  let db: Db;
  /** What the bucket held when the test began (objects of earlier tests). */
  let baseline: Set<string>;
  const ctx = (now: string, blobs: BlobStore = server.blobs, onDb: Db = db): JobContext => ({
    db: onDb,
    blobs,
    now: () => new Date(now),
    log: () => undefined,
  });

  beforeAll(async () => {
    server = await startTestServer({
      dialect,
      now: clock.now,
      blobStore: async () => (s3 = await startS3rverStore('weebum-retention')),
    });
    db = server.database.db;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });
  // One server per dialect, emptied before each test; every test builds its world anew.
  beforeEach(async () => {
    await db.query('TRUNCATE tenants, users, access_log, audit_events, job_runs CASCADE');
    baseline = new Set(await s3.allKeys());
  });

  /** Every object in the store that this test made, sorted (as `allKeys` lists them). */
  const stored = async () => (await s3.allKeys()).filter((k) => !baseline.has(k));
  const objectsOf = (photos: readonly Uploaded[]) => photos.flatMap((p) => p.objects).sort();
  /** A fresh access token at the clock's time (tokens live 15 minutes; tests jump months). */
  const tokenOf = async (loginId: string, password = `${loginId}-pass-2026`) => {
    const res = await signIn(server, loginId, password);
    expect(res.status, res.text).toBe(200);
    return (res.json as Session).accessToken;
  };

  /**
   * Uploads a photo at the clock's time and waits for the processor: the photo, its expiry as
   * the API reports it, and the objects that appeared in the store meanwhile.
   */
  async function upload(
    token: string,
    albumId: string,
    bytes?: Buffer,
    expected: 'ready' | 'failed' = 'ready',
  ): Promise<Uploaded> {
    const before = new Set(await s3.allKeys());
    const photo = await uploadPhoto(server, token, albumId, bytes ?? (await distinctJpeg()));
    expect(photo.status).toBe(expected);
    const objects = (await s3.allKeys()).filter((k) => !before.has(k));
    // A ready photo is an original and two derivatives; a refused one keeps no bytes.
    expect(objects).toHaveLength(expected === 'ready' ? 3 : 0);
    const read = await as(server, token)(`/v1/albums/${albumId}/photos/${photo.id}`);
    const { expiresAt } = read.json as { expiresAt: string };
    return { id: photo.id, albumId, expiresAt, objects };
  }

  const photoRows = (photos: readonly Uploaded[]) =>
    count(db, 'SELECT 1 FROM photos WHERE id = ANY($1::uuid[])', [photos.map((p) => p.id)]);
  const idsOf = (photos: readonly Uploaded[]) => photos.map((p) => p.id).sort();
  const tombstones = (albumId: string) =>
    db
      .query<{ entity_id: string }>(
        `SELECT entity_id FROM album_changes
          WHERE album_id = $1 AND entity = 'photo' AND op = 'delete' ORDER BY seq`,
        [albumId],
      )
      .then((r) => r.rows.map((row) => row.entity_id));
  const setLegalHold = async (operatorToken: string, tenantId: string, legalHold: boolean) => {
    const res = await as(server, operatorToken)(`/v1/tenants/${tenantId}/legal-hold`, 'PUT', {
      legalHold,
    });
    expect(res.status, res.text).toBe(200);
  };

  /**
   * On 2025-01-31 at 10:00 UTC studio A uploads three photos to its album for school A; a
   * second later one more, and studio B one to its album for school B.
   */
  async function photoWorld() {
    clock.set('2025-01-31T10:00:00.000Z');
    const operator = await bootstrapOperator(server, clock.now);
    const studioA = await tenantWithAdmin(server, operator, 'studio', 'studio-a');
    const schoolA = await tenantWithAdmin(server, operator, 'school', 'school-a');
    const studioB = await tenantWithAdmin(server, operator, 'studio', 'studio-b');
    const schoolB = await tenantWithAdmin(server, operator, 'school', 'school-b');
    const tokenA = studioA.admin.accessToken;
    const albumA = await createAlbumAs(server, tokenA, schoolA.tenantId);
    const albumB = await createAlbumAs(server, studioB.admin.accessToken, schoolB.tenantId);
    const old: Uploaded[] = [];
    for (let i = 0; i < 3; i++) old.push(await upload(tokenA, albumA));
    // A page whose frame shows the first old photo: it keeps the frame after expiry.
    const page = pageFor(albumA, { id: 'cover' });
    const framed = {
      ...page,
      elements: page.elements.map((e) => (e.kind === 'image' ? { ...e, photoId: old[0]!.id } : e)),
    };
    const created = await as(server, tokenA)(`/v1/albums/${albumA}/pages`, 'POST', framed);
    expect(created.status, created.text).toBe(201);
    clock.set('2025-01-31T10:00:01.000Z');
    const newer = await upload(tokenA, albumA);
    const other = await upload(studioB.admin.accessToken, albumB);
    return { operator, studioA, schoolA, studioB, albumA, albumB, old, newer, other };
  }

  it('P11: photos go 16 months after upload, every object the processor wrote, not a millisecond before', async () => {
    const w = await photoWorld();
    expect(w.old.map((p) => p.expiresAt)).toEqual([
      '2026-05-31T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
    ]);
    expect([w.newer.expiresAt, w.other.expiresAt]).toEqual([
      '2026-05-31T10:00:01.000Z',
      '2026-05-31T10:00:01.000Z',
    ]);
    const everything = await stored();
    expect(everything).toEqual(objectsOf([...w.old, w.newer, w.other]));
    const job = expirePhotosJob({ chunkSize: 2 });

    expect(await runJob(job, ctx('2026-05-31T09:59:59.999Z'))).toEqual({
      status: 'done',
      processed: 0,
    });
    expect(await photoRows(w.old)).toBe(3);
    expect(await stored()).toEqual(everything);

    expect(await runJob(job, ctx('2026-05-31T10:00:00.000Z'))).toEqual({
      status: 'done',
      processed: 3,
    });
    expect(await photoRows(w.old)).toBe(0);
    // Nothing of the expired photos is left anywhere in the store; the newer photo and the
    // other tenant's photo keep their rows and every object.
    expect(await stored()).toEqual(objectsOf([w.newer, w.other]));
    expect(await photoRows([w.newer, w.other])).toBe(2);
    // The feed carries one tombstone per expired photo, so clients purge their copies.
    expect((await tombstones(w.albumA)).sort()).toEqual(idsOf(w.old));
    expect(await tombstones(w.albumB)).toEqual([]);
    // Pages keep their frames.
    const page = await as(server, await tokenOf('studio-a'))(`/v1/albums/${w.albumA}/pages/cover`);
    const frame = (
      page.json as { document: { elements: { kind: string; photoId?: string }[] } }
    ).document.elements.find((e) => e.kind === 'image');
    expect(frame?.photoId).toBe(w.old[0]!.id);
    // Audit: kind, count, ids and why; in chunks of two.
    const audit = await auditOf(db, 'retention.photos_expired');
    expect(audit.map((a) => a.tenant_id)).toEqual([w.studioA.tenantId, w.studioA.tenantId]);
    expect(audit.map((a) => a.details['count'])).toEqual([2, 1]);
    expect(audit.flatMap((a) => String(a.details['ids']).split(',')).sort()).toEqual(idsOf(w.old));
    expect(audit[0]?.details['reason']).toMatch(/16 months/);

    // The newer photo and the other tenant's go a second later, at their own deadline.
    expect(await runJob(job, ctx('2026-05-31T10:00:01.000Z'))).toEqual({
      status: 'done',
      processed: 2,
    });
    expect(await stored()).toEqual([]);
  });

  it('P11: 16 calendar months in UTC; a day the month lacks falls back to its last day', async () => {
    clock.set('2025-01-31T10:00:00.000Z');
    const operator = await bootstrapOperator(server, clock.now);
    await tenantWithAdmin(server, operator, 'studio', 'studio-a');
    const school = await tenantWithAdmin(server, operator, 'school', 'school-a');
    const albumId = await createAlbumAs(server, await tokenOf('studio-a'), school.tenantId);
    // Upload instant, the instant the photo (original, derivatives, row) goes, and what the
    // processor made of it. A refused photo keeps its row (the reason) on the same schedule.
    const CASES = [
      ['2025-01-31T10:00:00.000Z', '2026-05-31T10:00:00.000Z', 'ready'],
      // 1 July in Japan already: the rule counts months in UTC.
      ['2025-06-30T23:30:00.000Z', '2026-10-30T23:30:00.000Z', 'ready'],
      ['2025-10-31T12:00:00.000Z', '2027-02-28T12:00:00.000Z', 'ready'],
      ['2025-12-31T23:59:59.000Z', '2027-04-30T23:59:59.000Z', 'ready'],
      ['2026-02-28T08:00:00.000Z', '2027-06-28T08:00:00.000Z', 'failed'],
      // 2028 is a leap year.
      ['2026-10-31T12:00:00.000Z', '2028-02-29T12:00:00.000Z', 'ready'],
    ] as const;
    const photos: Uploaded[] = [];
    for (const [uploadedAt, , outcome] of CASES) {
      clock.set(uploadedAt);
      const bytes = outcome === 'ready' ? undefined : Buffer.from('%PDF-1.7 not a photo');
      photos.push(await upload(await tokenOf('studio-a'), albumId, bytes, outcome));
    }
    expect(photos.map((p) => p.expiresAt)).toEqual(CASES.map(([, expiresAt]) => expiresAt));

    const job = expirePhotosJob();
    for (const [i, [, expiresAt]] of CASES.entries()) {
      const left = photos.slice(i);
      expect(await runJob(job, ctx(justBefore(expiresAt))), expiresAt).toEqual({
        status: 'done',
        processed: 0,
      });
      expect(await photoRows(left), expiresAt).toBe(left.length);
      expect(await stored(), expiresAt).toEqual(objectsOf(left));
      expect(await runJob(job, ctx(expiresAt)), expiresAt).toEqual({
        status: 'done',
        processed: 1,
      });
      expect(await photoRows(left), expiresAt).toBe(left.length - 1);
      expect(await stored(), expiresAt).toEqual(objectsOf(left.slice(1)));
    }
  });

  it('a run killed in the middle of a chunk finishes on the next run, each photo once', async () => {
    const w = await photoWorld();
    const job = expirePhotosJob({ chunkSize: 2 });
    const expiry = '2026-05-31T10:00:00.000Z';
    const kept = objectsOf([w.newer, w.other]);
    // Delete #5 is the second photo's second object: its first is gone, its row is not.
    await expect(runJob(job, ctx(expiry, crashingOnDelete(server.blobs, 5)))).rejects.toThrow(
      'injected crash',
    );
    expect(await photoRows(w.old)).toBe(3);
    const afterCrash = await stored();
    expect(afterCrash.filter((k) => !kept.includes(k))).toHaveLength(5);
    expect(afterCrash.filter((k) => kept.includes(k))).toHaveLength(6);
    const failed = await db.query<{ last_outcome: string }>(
      'SELECT last_outcome FROM job_runs WHERE name = $1',
      [job.name],
    );
    expect(failed.rows[0]?.last_outcome).toBe('failure');

    expect(await runJob(job, ctx(expiry))).toEqual({ status: 'done', processed: 3 });
    expect(await photoRows(w.old)).toBe(0);
    expect(await stored()).toEqual(kept);
    expect((await tombstones(w.albumA)).sort()).toEqual(idsOf(w.old));
    const audited = (await auditOf(db, 'retention.photos_expired')).flatMap((a) =>
      String(a.details['ids']).split(','),
    );
    expect(audited.sort()).toEqual(idsOf(w.old));
  });

  it('two runners started together do the work once', async () => {
    const w = await photoWorld();
    const job = expirePhotosJob({ chunkSize: 1 });
    const expiry = '2026-05-31T10:00:00.000Z';
    // PostgreSQL: two pools, as two instances; PGlite: one process, one handle.
    const second = dialect === 'postgres' ? server.database.connect() : db;
    const slot = new Date(expiry);
    // The second handle is closed with the test database.
    const outcomes = await Promise.all([
      runJob(job, ctx(expiry), { slot }),
      runJob(job, ctx(expiry, server.blobs, second), { slot }),
    ]);
    const statuses = outcomes.map((o) => o.status).sort();
    expect(statuses[1]).toBe('done');
    expect(['busy', 'already_done']).toContain(statuses[0]);
    expect(outcomes.find((o) => o.status === 'done')).toEqual({ status: 'done', processed: 3 });
    expect(await tombstones(w.albumA)).toHaveLength(3);
    expect(await auditOf(db, 'retention.photos_expired')).toHaveLength(3);
    expect(await stored()).toEqual(objectsOf([w.newer, w.other]));
    // The slot is recorded: a later start in the same slot does nothing.
    expect(await runJob(job, ctx('2026-05-31T10:00:01.000Z'), { slot })).toEqual({
      status: 'already_done',
    });
  });

  it('a tenant on legal hold keeps its photos, on either side of the album', async () => {
    const w = await photoWorld();
    await setLegalHold(w.operator.accessToken, w.schoolA.tenantId, true);
    const job = expirePhotosJob();
    // Over a year after every photo's deadline.
    expect(await runJob(job, ctx('2027-07-05T00:00:00.000Z'))).toEqual({
      status: 'done',
      processed: 1,
    });
    expect(await photoRows([...w.old, w.newer])).toBe(4);
    expect(await stored()).toEqual(objectsOf([...w.old, w.newer]));
    expect(await photoRows([w.other])).toBe(0);
  });

  it('a deleted album is purged 30 days after its deletion, not a millisecond before', async () => {
    const w = await photoWorld();
    // Another album, of a studio on legal hold: deleted too, but kept.
    const studioC = await tenantWithAdmin(server, w.operator, 'studio', 'studio-c');
    const schoolC = await tenantWithAdmin(server, w.operator, 'school', 'school-c');
    const albumC = await createAlbumAs(server, studioC.admin.accessToken, schoolC.tenantId);
    const held = await upload(studioC.admin.accessToken, albumC);
    await setLegalHold(w.operator.accessToken, studioC.tenantId, true);

    clock.set('2025-03-01T00:00:00.000Z');
    for (const [login, albumId] of [
      ['studio-a', w.albumA],
      ['studio-c', albumC],
    ] as const) {
      const res = await as(server, await tokenOf(login))(`/v1/albums/${albumId}`, 'DELETE');
      expect(res.json).toEqual({ id: albumId, deletedAt: '2025-03-01T00:00:00.000Z' });
    }
    const job = purgeDeletedAlbumsJob({ chunkSize: 1 });
    const albumRows = (ids: string[]) =>
      count(db, 'SELECT 1 FROM albums WHERE id = ANY($1::uuid[])', [ids]);

    // March has 31 days: 30 days after 1 March is 31 March.
    expect(await runJob(job, ctx('2025-03-30T23:59:59.999Z'))).toEqual({
      status: 'done',
      processed: 0,
    });
    expect(await albumRows([w.albumA])).toBe(1);
    expect(await stored()).toEqual(objectsOf([...w.old, w.newer, w.other, held]));

    expect(await runJob(job, ctx('2025-03-31T00:00:00.000Z'))).toEqual({
      status: 'done',
      processed: 1,
    });
    expect(await albumRows([w.albumA])).toBe(0);
    expect(await photoRows([...w.old, w.newer])).toBe(0);
    // The other tenant's album (not deleted) and the held one keep rows and objects.
    expect(await albumRows([w.albumB, albumC])).toBe(2);
    expect(await stored()).toEqual(objectsOf([w.other, held]));
    const audit = await auditOf(db, 'retention.album_purged');
    expect(audit).toEqual([
      {
        tenant_id: w.studioA.tenantId,
        details: expect.objectContaining({ kind: 'album', count: 1, ids: w.albumA }) as unknown,
      },
    ]);
  });

  describe('P4: ended contracts', () => {
    /**
     * On 2026-12-01 a studio (admin and designer) makes two albums with a photo each for a
     * school; another studio has its own album and photo. The studio's contract then ends on
     * 2027-04-01 00:00 JST, so it is purged a calendar year later, 2028-04-01 00:00 JST:
     * 2028-03-31T15:00Z (365 days would have come a day early: 2028 is leap).
     */
    async function tenantWorld(options: { holdSchool?: boolean } = {}) {
      clock.set('2026-12-01T00:00:00.000Z');
      const operator = await bootstrapOperator(server, clock.now);
      const studio = await tenantWithAdmin(server, operator, 'studio', 'ending-studio');
      const school = await tenantWithAdmin(server, operator, 'school', 'ending-school');
      const otherStudio = await tenantWithAdmin(server, operator, 'studio', 'other-studio');
      const otherSchool = await tenantWithAdmin(server, operator, 'school', 'other-school');
      const designer = await createMember(server, studio.admin, {
        loginId: 'ending-designer',
        displayName: '終了 花子',
        role: 'designer',
      });
      const token = studio.admin.accessToken;
      const albums = [
        await createAlbumAs(server, token, school.tenantId),
        await createAlbumAs(server, token, school.tenantId),
      ];
      const photos = [await upload(token, albums[0]!), await upload(token, albums[1]!)];
      const otherAlbum = await createAlbumAs(
        server,
        otherStudio.admin.accessToken,
        otherSchool.tenantId,
      );
      const otherPhoto = await upload(otherStudio.admin.accessToken, otherAlbum);
      // An object under the tenant's prefix but of no album row (e.g. left by a crashed upload).
      const stray = `tenants/${studio.tenantId}/albums/${randomUUID()}/photos/${randomUUID()}/original`;
      await server.blobs.write(stray as BlobKey, Buffer.from('x'), 'image/jpeg');
      const ended = await as(server, operator.accessToken)(
        `/v1/tenants/${studio.tenantId}`,
        'PATCH',
        { contractEnd: '2027-03-31T15:00:00.000Z' },
      );
      expect(ended.status, ended.text).toBe(200);
      if (options.holdSchool === true) {
        await setLegalHold(operator.accessToken, school.tenantId, true);
      }
      // The server logs every request a moment after answering it, in order: once the
      // studio's last request is logged, all of its earlier ones are too.
      expect((await as(server, token)('/v1/me')).status).toBe(200);
      await until(async () =>
        count(db, `SELECT 1 FROM access_log WHERE tenant_id = $1 AND route = '/v1/me'`, [
          studio.tenantId,
        ]).then((n) => n > 0),
      );
      return {
        operator,
        studio,
        school,
        otherStudio,
        designer,
        albums,
        photos,
        otherPhoto,
        stray,
      };
    }

    const tenantRows = async (tenantId: string, albumIds: readonly string[]) => ({
      tenant: await count(db, 'SELECT 1 FROM tenants WHERE id = $1', [tenantId]),
      users: await count(db, 'SELECT 1 FROM users WHERE tenant_id = $1', [tenantId]),
      albums: await count(db, 'SELECT 1 FROM albums WHERE id = ANY($1::uuid[])', [albumIds]),
      photos: await count(db, 'SELECT 1 FROM photos WHERE album_id = ANY($1::uuid[])', [albumIds]),
      accessLog: await count(db, 'SELECT 1 FROM access_log WHERE tenant_id = $1', [tenantId]),
    });

    it('every row and object of the tenant goes a year after the end, not a millisecond before', async () => {
      const w = await tenantWorld();
      const job = purgeEndedTenantsJob({ chunkSize: 1 });

      expect(await runJob(job, ctx('2028-03-31T14:59:59.999Z'))).toEqual({
        status: 'done',
        processed: 0,
      });
      const before = await tenantRows(w.studio.tenantId, w.albums);
      expect(before).toMatchObject({ tenant: 1, users: 2, albums: 2, photos: 2 });
      expect(before.accessLog).toBeGreaterThan(0);
      expect(await stored()).toEqual([...objectsOf([...w.photos, w.otherPhoto]), w.stray].sort());

      expect(await runJob(job, ctx('2028-03-31T15:00:00.000Z'))).toEqual({
        status: 'done',
        processed: 1,
      });
      expect(await tenantRows(w.studio.tenantId, w.albums)).toEqual({
        tenant: 0,
        users: 0,
        albums: 0,
        photos: 0,
        accessLog: 0,
      });
      // Nothing of the tenant is left in the store; another tenant is untouched.
      expect(await stored()).toEqual(objectsOf([w.otherPhoto]));
      expect(
        await count(db, 'SELECT 1 FROM users WHERE tenant_id = $1', [w.otherStudio.tenantId]),
      ).toBe(1);
      expect(await count(db, 'SELECT 1 FROM tenants WHERE id = $1', [w.school.tenantId])).toBe(1);
      // The proof outlives the tenant; it names ids and counts, no personal data.
      const albumsAudit = await auditOf(db, 'retention.album_purged');
      expect(albumsAudit.map((a) => a.details['ids']).sort()).toEqual([...w.albums].sort());
      const [purged] = await auditOf(db, 'retention.tenant_purged');
      expect(purged).toMatchObject({
        tenant_id: w.studio.tenantId,
        details: { kind: 'tenant', count: 1, ids: w.studio.tenantId, albums: 2, users: 2 },
      });
      expect(purged?.details['reason']).toBe('P4: one year after the contract ended');
    });

    it('a purge killed half-way finishes on the next run', async () => {
      const w = await tenantWorld();
      const job = purgeEndedTenantsJob({ chunkSize: 1 });
      const purgeAt = '2028-03-31T15:00:00.000Z';
      // Killed after the first album's chunk committed: the second album is untouched.
      let chunks = 0;
      const crashing: BlobStore = {
        ...server.blobs,
        deletePrefix: async (prefix) => {
          if (++chunks === 2) throw new Error('injected crash');
          return server.blobs.deletePrefix(prefix);
        },
      };
      await expect(runJob(job, ctx(purgeAt, crashing))).rejects.toThrow('injected crash');
      expect((await tenantRows(w.studio.tenantId, w.albums)).albums).toBe(1);
      expect(await runJob(job, ctx(purgeAt))).toEqual({ status: 'done', processed: 1 });
      expect(await tenantRows(w.studio.tenantId, w.albums)).toMatchObject({
        tenant: 0,
        albums: 0,
      });
      expect(await stored()).toEqual(objectsOf([w.otherPhoto]));
      expect(await auditOf(db, 'retention.tenant_purged')).toHaveLength(1);
    });

    it('legal hold on the tenant, or on a tenant it shares an album with, keeps everything', async () => {
      const held = await tenantWorld({ holdSchool: true });
      const job = purgeEndedTenantsJob();
      const late = '2028-04-29T15:00:00.000Z';
      expect(await runJob(job, ctx(late))).toEqual({ status: 'done', processed: 0 });
      expect(await tenantRows(held.studio.tenantId, held.albums)).toMatchObject({
        tenant: 1,
        albums: 2,
      });
      expect(await stored()).toEqual(
        [...objectsOf([...held.photos, held.otherPhoto]), held.stray].sort(),
      );

      clock.set(late);
      const operator = await tokenOf('operator', 'operator-password-2026');
      await setLegalHold(operator, held.school.tenantId, false);
      await setLegalHold(operator, held.studio.tenantId, true);
      expect(await runJob(job, ctx(late))).toEqual({ status: 'done', processed: 0 });
      expect(await tenantRows(held.studio.tenantId, held.albums)).toMatchObject({
        tenant: 1,
        users: 2,
      });

      await setLegalHold(operator, held.studio.tenantId, false);
      expect(await runJob(job, ctx(late))).toEqual({ status: 'done', processed: 1 });
      expect(await tenantRows(held.studio.tenantId, held.albums)).toMatchObject({ tenant: 0 });
      expect(await stored()).toEqual(objectsOf([held.otherPhoto]));
    });
  });
});

/** Polls `condition` every 50 ms until it holds, for at most 30 seconds. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the condition never held');
}

// Access-log rows come from the writer the server logs requests with; on a bare database, as
// the server's own requests would add rows of their own (logged at the real time).
describe.each(DIALECTS)('access log retention (%s)', (dialect) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.db;
    await migrate(db, MIGRATIONS);
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('P13: access log rows go after 7 days, not a millisecond before', async () => {
    const operator = { userId: null, tenantId: null, sourceAddress: null };
    const tenants = createTenantService({ db, now: () => new Date('2027-04-01T00:00:00Z') });
    const held = await tenants.create(operator, {
      kind: 'studio',
      name: 'Held studio',
      contractStart: new Date('2026-04-01T00:00:00Z'),
      contractEnd: null,
    });
    await tenants.setLegalHold(operator, held.id, true);
    const writer = createAccessLogWriter({
      db,
      onDropped: (n, error) => {
        throw new Error(`${n} access log rows dropped: ${String(error)}`);
      },
    });
    const logAt = (occurredAt: string, tenantId: string | null = null) =>
      writer.add({
        occurredAt: new Date(occurredAt),
        tenantId,
        userId: null,
        method: 'GET',
        route: '/v1/albums',
        status: 200,
        durationMs: 3,
        sourceAddress: '127.0.0.1',
      });
    // Now is 2027-05-01 00:00 UTC: rows from before 2027-04-24 00:00 UTC go.
    for (const instant of [
      '2027-04-23T23:59:59.999Z',
      '2027-04-23T23:59:59.998Z',
      '2027-04-23T12:00:00.000Z',
      '2027-04-20T00:00:00.000Z',
      '2026-12-31T23:59:59.000Z',
    ]) {
      logAt(instant);
    }
    logAt('2027-04-24T00:00:00.000Z');
    logAt('2027-04-24T00:00:00.001Z');
    logAt('2027-04-23T23:59:59.990Z', held.id);
    await writer.flush();

    const job = purgeAccessLogJob({ chunkSize: 2 });
    const now = new Date('2027-05-01T00:00:00.000Z');
    expect(
      await runJob(job, { db, blobs: {} as BlobStore, now: () => now, log: () => undefined }),
    ).toEqual({ status: 'done', processed: 5 });
    const { rows } = await db.query<{ occurred_at: Date; tenant_id: string | null }>(
      'SELECT occurred_at, tenant_id FROM access_log ORDER BY occurred_at',
    );
    expect(rows.map((r) => [r.occurred_at.toISOString(), r.tenant_id])).toEqual([
      ['2027-04-23T23:59:59.990Z', held.id],
      ['2027-04-24T00:00:00.000Z', null],
      ['2027-04-24T00:00:00.001Z', null],
    ]);
    const audit = await auditOf(db, 'retention.access_log_purged');
    expect(audit.map((a) => a.details['count'])).toEqual([2, 2, 1]);
    expect(audit[0]?.details['reason']).toMatch(/7 days/);
  });
});
