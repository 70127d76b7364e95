import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accessLogCutoff,
  addDays,
  deletedAlbumPurgeAt,
  tenantPurgeAt,
} from '../../src-shared/retention/deadlines.js';
import { albumPrefix, photoKey, type BlobKey } from '../blobs/blobKeys.js';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import type { JobContext } from '../jobs/job.js';
import { runJob } from '../jobs/jobRunner.js';
import {
  auditOf,
  count,
  insertAlbum,
  insertReadyPhoto,
  insertTenant,
  insertUser,
  presentCount,
  startS3,
  type SeededPhoto,
} from '../testing/retentionFixtures.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';
import { expirePhotosJob } from './expirePhotos.js';
import { purgeAccessLogJob } from './purgeAccessLog.js';
import { purgeDeletedAlbumsJob } from './purgeDeletedAlbums.js';
import { purgeEndedTenantsJob } from './purgeEndedTenants.js';

const UPLOADED = new Date('2026-01-10T05:00:00Z');
const at = (instant: Date) => () => instant;
const ms = (instant: Date, delta: number) => new Date(instant.getTime() + delta);

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

describe.each(DIALECTS)('retention jobs (%s, S3 via s3rver)', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let s3: Awaited<ReturnType<typeof startS3>>;
  const ctx = (now: Date, blobs: BlobStore = s3.store, onDb: Db = db): JobContext => ({
    db: onDb,
    blobs,
    now: at(now),
    log: () => undefined,
  });

  // One database per dialect (a fresh PGlite costs seconds), emptied before each test.
  beforeAll(async () => {
    s3 = await startS3();
    database = await createTestDatabase(dialect);
    db = database.db;
    await migrate(db, MIGRATIONS);
  });
  afterAll(async () => {
    await database.dispose();
    await s3.close();
  });
  beforeEach(async () => {
    await db.query('TRUNCATE tenants, access_log, audit_events, job_runs CASCADE');
  });

  /** Studio A's album for school A with three old photos and one newer; tenant B's album. */
  async function photoWorld() {
    const studioA = await insertTenant(db, 'studio');
    const schoolA = await insertTenant(db, 'school');
    const studioB = await insertTenant(db, 'studio');
    const schoolB = await insertTenant(db, 'school');
    const albumA = { id: await insertAlbum(db, studioA, schoolA), studioTenantId: studioA };
    const albumB = { id: await insertAlbum(db, studioB, schoolB), studioTenantId: studioB };
    const old: SeededPhoto[] = [];
    for (let i = 0; i < 3; i++) old.push(await insertReadyPhoto(db, s3.store, albumA, UPLOADED));
    const newer = await insertReadyPhoto(db, s3.store, albumA, ms(UPLOADED, 1000));
    const other = await insertReadyPhoto(db, s3.store, albumB, ms(UPLOADED, 1000));
    // A page whose frame shows the first old photo: it keeps the frame after expiry.
    const page = { frames: [{ id: 'f1', photoId: old[0]?.id }] };
    await db.query(
      `INSERT INTO pages (album_id, id, position, version, document) VALUES ($1, 'p1', 0, 1, $2)`,
      [albumA.id, JSON.stringify(page)],
    );
    return { studioA, schoolA, studioB, albumA, albumB, old, newer, other };
  }

  const photoRows = (ids: readonly string[]) =>
    count(db, 'SELECT 1 FROM photos WHERE id = ANY($1::uuid[])', [ids]);
  const keysOf = (photos: readonly SeededPhoto[]): BlobKey[] => photos.flatMap((p) => p.keys);
  const tombstones = (albumId: string) =>
    db
      .query<{ entity_id: string }>(
        `SELECT entity_id FROM album_changes
          WHERE album_id = $1 AND entity = 'photo' AND op = 'delete' ORDER BY seq`,
        [albumId],
      )
      .then((r) => r.rows.map((row) => row.entity_id));

  it('P11: photos go at 16 months after upload, not a millisecond before', async () => {
    const w = await photoWorld();
    const expiry = w.old[0]!.expiresAt;
    const job = expirePhotosJob({ chunkSize: 2 });

    expect(await runJob(job, ctx(ms(expiry, -1)))).toEqual({ status: 'done', processed: 0 });
    expect(await photoRows(w.old.map((p) => p.id))).toBe(3);
    expect(await presentCount(s3.store, keysOf(w.old))).toBe(9);

    expect(await runJob(job, ctx(expiry))).toEqual({ status: 'done', processed: 3 });
    expect(await photoRows(w.old.map((p) => p.id))).toBe(0);
    expect(await presentCount(s3.store, keysOf(w.old))).toBe(0);
    // The newer photo and the other tenant's photo keep rows and every object.
    expect(await photoRows([w.newer.id, w.other.id])).toBe(2);
    expect(await presentCount(s3.store, keysOf([w.newer, w.other]))).toBe(6);
    // The feed carries one tombstone per expired photo, so clients purge their copies.
    expect((await tombstones(w.albumA.id)).sort()).toEqual(w.old.map((p) => p.id).sort());
    expect(await tombstones(w.albumB.id)).toEqual([]);
    // Pages keep their frames.
    const { rows } = await db.query<{ document: { frames: { photoId: string }[] } }>(
      'SELECT document FROM pages WHERE album_id = $1',
      [w.albumA.id],
    );
    expect(rows[0]?.document.frames[0]?.photoId).toBe(w.old[0]!.id);
    // Audit: kind, count, ids and why; in chunks of two.
    const audit = await auditOf(db, 'retention.photos_expired');
    expect(audit.map((a) => a.tenant_id)).toEqual([w.studioA, w.studioA]);
    expect(audit.map((a) => a.details['count'])).toEqual([2, 1]);
    expect(audit.flatMap((a) => String(a.details['ids']).split(',')).sort()).toEqual(
      w.old.map((p) => p.id).sort(),
    );
    expect(audit[0]?.details['reason']).toMatch(/16 months/);

    // The newer photo goes a second later, at its own deadline.
    expect(await runJob(job, ctx(w.newer.expiresAt))).toEqual({ status: 'done', processed: 2 });
    expect(await presentCount(s3.store, keysOf([w.newer, w.other]))).toBe(0);
  });

  it('a run killed in the middle of a chunk finishes on the next run, each photo once', async () => {
    const w = await photoWorld();
    const job = expirePhotosJob({ chunkSize: 2 });
    const expiry = w.old[0]!.expiresAt;
    // Delete #5 is the second photo's preview: its original is gone, its row is not.
    await expect(runJob(job, ctx(expiry, crashingOnDelete(s3.store, 5)))).rejects.toThrow(
      'injected crash',
    );
    expect(await photoRows(w.old.map((p) => p.id))).toBe(3);
    expect(await presentCount(s3.store, keysOf(w.old))).toBe(5);
    const failed = await db.query<{ last_outcome: string }>(
      'SELECT last_outcome FROM job_runs WHERE name = $1',
      [job.name],
    );
    expect(failed.rows[0]?.last_outcome).toBe('failure');

    expect(await runJob(job, ctx(expiry))).toEqual({ status: 'done', processed: 3 });
    expect(await photoRows(w.old.map((p) => p.id))).toBe(0);
    expect(await presentCount(s3.store, keysOf(w.old))).toBe(0);
    expect((await tombstones(w.albumA.id)).sort()).toEqual(w.old.map((p) => p.id).sort());
    const audited = (await auditOf(db, 'retention.photos_expired')).flatMap((a) =>
      String(a.details['ids']).split(','),
    );
    expect(audited.sort()).toEqual(w.old.map((p) => p.id).sort());
    expect(await presentCount(s3.store, keysOf([w.newer, w.other]))).toBe(6);
  });

  it('two runners started together do the work once', async () => {
    const w = await photoWorld();
    const job = expirePhotosJob({ chunkSize: 1 });
    const expiry = w.old[0]!.expiresAt;
    // PostgreSQL: two pools, as two instances; PGlite: one process, one handle.
    const second = dialect === 'postgres' ? database.connect() : db;
    const slot = expiry;
    const outcomes = await Promise.all([
      runJob(job, ctx(expiry), { slot }),
      runJob(job, ctx(expiry, s3.store, second), { slot }),
    ]);
    const statuses = outcomes.map((o) => o.status).sort();
    expect(statuses[1]).toBe('done');
    expect(['busy', 'already_done']).toContain(statuses[0]);
    expect(outcomes.find((o) => o.status === 'done')).toEqual({ status: 'done', processed: 3 });
    expect(await tombstones(w.albumA.id)).toHaveLength(3);
    expect(await auditOf(db, 'retention.photos_expired')).toHaveLength(3);
    // The slot is recorded: a later start in the same slot does nothing.
    expect(await runJob(job, ctx(ms(expiry, 1000)), { slot })).toEqual({ status: 'already_done' });
  });

  it('a tenant on legal hold keeps its photos, on either side of the album', async () => {
    const w = await photoWorld();
    await db.query('UPDATE tenants SET legal_hold = true WHERE id = $1', [w.schoolA]);
    const job = expirePhotosJob();
    const late = addDays(w.newer.expiresAt, 400);
    expect(await runJob(job, ctx(late))).toEqual({ status: 'done', processed: 1 });
    expect(await photoRows([...w.old, w.newer].map((p) => p.id))).toBe(4);
    expect(await presentCount(s3.store, keysOf([...w.old, w.newer]))).toBe(12);
    expect(await presentCount(s3.store, w.other.keys)).toBe(0);
  });

  it('a deleted album is purged 30 days after its deletion, not a millisecond before', async () => {
    const w = await photoWorld();
    const deletedAt = new Date('2027-02-01T00:00:00Z');
    const softDelete = (albumId: string) =>
      db.query('UPDATE albums SET deleted_at = $2 WHERE id = $1', [albumId, deletedAt]);
    await softDelete(w.albumA.id);
    // Another deleted album whose studio is on legal hold: kept.
    const studioC = await insertTenant(db, 'studio', { legalHold: true });
    const albumC = {
      id: await insertAlbum(db, studioC, await insertTenant(db, 'school')),
      studioTenantId: studioC,
    };
    const held = await insertReadyPhoto(db, s3.store, albumC, UPLOADED);
    await softDelete(albumC.id);
    const job = purgeDeletedAlbumsJob({ chunkSize: 1 });
    const due = deletedAlbumPurgeAt(deletedAt);
    const albumRows = (ids: string[]) =>
      count(db, 'SELECT 1 FROM albums WHERE id = ANY($1::uuid[])', [ids]);

    expect(await runJob(job, ctx(ms(due, -1)))).toEqual({ status: 'done', processed: 0 });
    expect(await albumRows([w.albumA.id])).toBe(1);
    expect(await presentCount(s3.store, keysOf(w.old))).toBe(9);

    expect(await runJob(job, ctx(due))).toEqual({ status: 'done', processed: 1 });
    expect(await albumRows([w.albumA.id])).toBe(0);
    expect(await photoRows([...w.old, w.newer].map((p) => p.id))).toBe(0);
    expect(await presentCount(s3.store, keysOf([...w.old, w.newer]))).toBe(0);
    // The other tenant's album (not deleted) and the held one keep rows and objects.
    expect(await albumRows([w.albumB.id, albumC.id])).toBe(2);
    expect(await presentCount(s3.store, keysOf([w.other, held]))).toBe(6);
    const audit = await auditOf(db, 'retention.album_purged');
    expect(audit).toEqual([
      {
        tenant_id: w.studioA,
        details: expect.objectContaining({ kind: 'album', count: 1, ids: w.albumA.id }) as unknown,
      },
    ]);
  });

  it('P13: access log rows go after 7 days, not a millisecond before', async () => {
    const now = new Date('2027-05-01T00:00:00Z');
    const cutoff = accessLogCutoff(now);
    const held = await insertTenant(db, 'studio', { legalHold: true });
    const insert = (occurredAt: Date, tenantId: string | null = null) =>
      db.query(
        `INSERT INTO access_log (occurred_at, tenant_id, method, route, status, duration_ms)
         VALUES ($1, $2, 'GET', '/v1/albums', 200, 3)`,
        [occurredAt, tenantId],
      );
    for (let i = 0; i < 5; i++) await insert(ms(cutoff, -1 - i));
    await insert(cutoff);
    await insert(ms(cutoff, 1));
    await insert(ms(cutoff, -10), held);

    const job = purgeAccessLogJob({ chunkSize: 2 });
    expect(await runJob(job, ctx(now))).toEqual({ status: 'done', processed: 5 });
    const { rows } = await db.query<{ occurred_at: Date; tenant_id: string | null }>(
      'SELECT occurred_at, tenant_id FROM access_log ORDER BY occurred_at',
    );
    expect(rows.map((r) => r.occurred_at.getTime())).toEqual([
      ms(cutoff, -10).getTime(),
      cutoff.getTime(),
      ms(cutoff, 1).getTime(),
    ]);
    expect(rows[0]?.tenant_id).toBe(held);
    const audit = await auditOf(db, 'retention.access_log_purged');
    expect(audit.map((a) => a.details['count'])).toEqual([2, 2, 1]);
    expect(audit[0]?.details['reason']).toMatch(/7 days/);
  });

  describe('P4: ended contracts', () => {
    async function tenantWorld(options: { holdOther?: boolean } = {}) {
      const end = new Date('2027-03-31T15:00:00Z');
      const studio = await insertTenant(db, 'studio', { contractEnd: end });
      const school = await insertTenant(db, 'school', {
        legalHold: options.holdOther ?? false,
      });
      const otherStudio = await insertTenant(db, 'studio');
      const otherSchool = await insertTenant(db, 'school');
      const users = [
        await insertUser(db, studio, 'studio_admin'),
        await insertUser(db, studio, 'designer'),
      ];
      const otherUser = await insertUser(db, otherStudio, 'studio_admin');
      const albums = [await insertAlbum(db, studio, school), await insertAlbum(db, studio, school)];
      const photos = [];
      for (const id of albums) {
        // Uploaded late enough not to expire before the purge: this is about the purge alone.
        photos.push(
          await insertReadyPhoto(db, s3.store, { id, studioTenantId: studio }, addDays(end, 90)),
        );
      }
      const otherAlbum = await insertAlbum(db, otherStudio, otherSchool);
      const otherPhoto = await insertReadyPhoto(
        db,
        s3.store,
        { id: otherAlbum, studioTenantId: otherStudio },
        UPLOADED,
      );
      // An object under the tenant's prefix but of no album row (e.g. left by a crashed upload).
      const stray = photoKey(studio, randomUUID(), randomUUID(), 'original');
      await s3.store.write(stray, Buffer.from('x'), 'image/jpeg');
      await db.query(
        `INSERT INTO access_log (tenant_id, method, route, status, duration_ms)
         VALUES ($1, 'GET', '/v1/albums', 200, 1)`,
        [studio],
      );
      return {
        end,
        studio,
        school,
        otherStudio,
        users,
        otherUser,
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

    it('every row and object of the tenant goes 365 days after the end, not a millisecond before', async () => {
      const w = await tenantWorld();
      const purgeAt = tenantPurgeAt(w.end);
      const job = purgeEndedTenantsJob({ chunkSize: 1 });
      const allKeys = [...keysOf(w.photos), w.stray];

      expect(await runJob(job, ctx(ms(purgeAt, -1)))).toEqual({ status: 'done', processed: 0 });
      expect(await tenantRows(w.studio, w.albums)).toEqual({
        tenant: 1,
        users: 2,
        albums: 2,
        photos: 2,
        accessLog: 1,
      });
      expect(await presentCount(s3.store, allKeys)).toBe(7);

      expect(await runJob(job, ctx(purgeAt))).toEqual({ status: 'done', processed: 1 });
      expect(await tenantRows(w.studio, w.albums)).toEqual({
        tenant: 0,
        users: 0,
        albums: 0,
        photos: 0,
        accessLog: 0,
      });
      expect(await presentCount(s3.store, allKeys)).toBe(0);
      for (const album of w.albums) {
        expect(await s3.store.deletePrefix(albumPrefix(w.studio, album))).toBe(0);
      }
      // Another tenant is untouched.
      expect(await count(db, 'SELECT 1 FROM users WHERE id = $1', [w.otherUser])).toBe(1);
      expect(await presentCount(s3.store, w.otherPhoto.keys)).toBe(3);
      expect(await count(db, 'SELECT 1 FROM tenants WHERE id = $1', [w.school])).toBe(1);
      // The proof outlives the tenant; it names ids and counts, no personal data.
      const albumsAudit = await auditOf(db, 'retention.album_purged');
      expect(albumsAudit.map((a) => a.details['ids']).sort()).toEqual([...w.albums].sort());
      const [purged] = await auditOf(db, 'retention.tenant_purged');
      expect(purged).toMatchObject({
        tenant_id: w.studio,
        details: { kind: 'tenant', count: 1, ids: w.studio, albums: 2, users: 2 },
      });
      expect(purged?.details['reason']).toMatch(/365 days/);
    });

    it('a purge killed half-way finishes on the next run', async () => {
      const w = await tenantWorld();
      const purgeAt = tenantPurgeAt(w.end);
      const job = purgeEndedTenantsJob({ chunkSize: 1 });
      // Killed after the first album's chunk committed: the second album is untouched.
      let chunks = 0;
      const crashing: BlobStore = {
        ...s3.store,
        deletePrefix: async (prefix) => {
          if (++chunks === 2) throw new Error('injected crash');
          return s3.store.deletePrefix(prefix);
        },
      };
      await expect(runJob(job, ctx(purgeAt, crashing))).rejects.toThrow('injected crash');
      expect((await tenantRows(w.studio, w.albums)).albums).toBe(1);
      expect(await runJob(job, ctx(purgeAt))).toEqual({ status: 'done', processed: 1 });
      expect(await tenantRows(w.studio, w.albums)).toMatchObject({ tenant: 0, albums: 0 });
      expect(await presentCount(s3.store, [...keysOf(w.photos), w.stray])).toBe(0);
      expect(await auditOf(db, 'retention.tenant_purged')).toHaveLength(1);
    });

    it('legal hold on the tenant, or on a tenant it shares an album with, keeps everything', async () => {
      const held = await tenantWorld({ holdOther: true });
      const job = purgeEndedTenantsJob();
      const late = addDays(tenantPurgeAt(held.end), 30);
      expect(await runJob(job, ctx(late))).toEqual({ status: 'done', processed: 0 });
      expect(await tenantRows(held.studio, held.albums)).toMatchObject({ tenant: 1, albums: 2 });
      expect(await presentCount(s3.store, keysOf(held.photos))).toBe(6);

      await db.query('UPDATE tenants SET legal_hold = (id = $1)', [held.studio]);
      expect(await runJob(job, ctx(late))).toEqual({ status: 'done', processed: 0 });
      expect(await tenantRows(held.studio, held.albums)).toMatchObject({ tenant: 1, users: 2 });

      await db.query('UPDATE tenants SET legal_hold = false');
      expect(await runJob(job, ctx(late))).toEqual({ status: 'done', processed: 1 });
      expect(await tenantRows(held.studio, held.albums)).toMatchObject({ tenant: 0 });
    });
  });
});
