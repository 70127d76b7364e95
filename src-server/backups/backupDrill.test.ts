import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents, recordAudit } from '../audit/auditLog.js';
import { backupKey } from '../blobs/blobKeys.js';
import type { BlobStore } from '../blobs/blobStore.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import { generateKeyringFile, keyringFrom } from '../crypto/keyring.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { createPgliteDb } from '../db/pgliteDb.js';
import { runJob } from '../jobs/jobRunner.js';
import { createMailer } from '../notices/mailer.js';
import { sendNoticesJob } from '../notices/sendNotices.js';
import {
  as,
  bootstrapOperator,
  createMember,
  signIn,
  tenantWithAdmin,
} from '../testing/accountFixtures.js';
import { startS3rverStore } from '../testing/s3rverStore.js';
import { recipientOf, startSmtp } from '../testing/smtpServer.js';
import {
  createTestDatabase,
  DIALECTS,
  type Dialect,
  type TestDatabase,
} from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import {
  createBackup,
  deleteExpiredBackups,
  listBackups,
  restoreBackup,
  runBackupJob,
} from './backupService.js';
import type { BackupSource, RestoreTarget } from './databaseDump.js';

const DAY_MS = 86_400_000;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every table of the public schema, every row as JSON text, sorted: equal means identical. */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  const out: Record<string, string[]> = {};
  for (const { tablename } of tables.rows) {
    const rows = await db.query<{ r: string }>(
      `SELECT row_to_json(t)::text AS r FROM ${tablename} t`,
    );
    out[tablename] = rows.rows.map((row) => row.r).sort();
  }
  return out;
}

const announcement = {
  subjectJa: '復元訓練',
  subjectEn: 'Restore drill',
  bodyJa: '本文です。',
  bodyEn: 'The body.',
};

interface Seeded {
  readonly tenantId: string;
  readonly adminLoginId: string;
  readonly adminPassword: string;
  readonly memberLoginId: string;
  readonly memberPassword: string;
}

/**
 * Data made the way a server makes it, through the API: an operator, a tenant (its name holds
 * the marker), its admin with an e-mail address, a member, sign-ins (sessions, audit events,
 * access log) and an announcement queued for the admin. Nothing is sealed by hand, so the
 * drill proves a server can read what it restores, not only that the cipher round-trips.
 */
async function seed(server: TestServer, marker: string): Promise<Seeded> {
  const operator = await bootstrapOperator(server, () => new Date());
  const adminLoginId = `${marker}-admin`;
  const school = await tenantWithAdmin(server, operator, 'school', adminLoginId);
  const admin = as(server, school.admin.accessToken);
  const email = await admin(`/v1/users/${school.adminId}`, 'PATCH', {
    email: 'drill-admin@example.jp',
  });
  expect(email.status, email.text).toBe(200);
  const member = await createMember(server, school.admin, {
    loginId: `${marker}-member`,
    displayName: `${marker} 先生`,
    role: 'school_staff',
  });
  const queued = await as(server, operator.accessToken)('/v1/announcements', 'POST', {
    tenantIds: [school.tenantId],
    ...announcement,
  });
  expect(queued.json).toMatchObject({ queued: 1 });
  return {
    tenantId: school.tenantId,
    adminLoginId,
    adminPassword: `${adminLoginId}-pass-2026`,
    memberLoginId: `${marker}-member`,
    memberPassword: member.password,
  };
}

/** A database the test owns, for a server to run on without closing it. */
const lent = (dialect: Dialect, db: Db, url: string | undefined): TestDatabase => ({
  dialect,
  url,
  db,
  connect: () => {
    throw new Error('one handle only');
  },
  dispose: () => Promise.resolve(),
});

describe.each(DIALECTS)('backup and restore drill on %s with S3 (s3rver)', (dialect: Dialect) => {
  const directories: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let blobs: BlobStore;
  const keyringFile = generateKeyringFile(new Date());
  const keyring = keyringFrom(keyringFile);
  const marker = `DRILL-${randomUUID()}`;
  let seeded: Seeded;
  let source: BackupSource;
  let sourceDb: Db;
  /** Makes an empty restore target; for PGlite, opens it after a restore. */
  let emptyTarget: () => Promise<{ target: RestoreTarget; open: () => Promise<Db> }>;
  /** Drops the seeded database. */
  let wipe: () => Promise<void>;

  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'weebum-backup-'));
    directories.push(dir);
    return dir;
  };

  beforeAll(async () => {
    const s3 = await startS3rverStore('weebum-backups');
    blobs = s3.store;
    cleanups.push(s3.close);

    if (dialect === 'pglite') {
      const dataDir = join(tempDir(), 'pglite');
      const pglite = await createPgliteDb(dataDir);
      sourceDb = pglite;
      source = { dialect: 'pglite', dumpDataDir: () => pglite.dumpDataDir() };
      let open = true;
      const close = async () => {
        if (open) await pglite.close();
        open = false;
      };
      cleanups.push(close);
      wipe = async () => {
        await close();
        rmSync(dataDir, { recursive: true, force: true });
      };
      emptyTarget = () => {
        const target = join(tempDir(), 'restored');
        return Promise.resolve({
          target: { dialect: 'pglite', dataDir: target },
          open: async () => {
            const db = await createPgliteDb(target);
            cleanups.push(() => db.close());
            return db;
          },
        });
      };
    } else {
      const database = await createTestDatabase('postgres');
      sourceDb = database.db;
      source = { dialect: 'postgres', url: database.url as string };
      let disposed = false;
      wipe = async () => {
        if (!disposed) await database.dispose();
        disposed = true;
      };
      cleanups.push(wipe);
      emptyTarget = async () => {
        const fresh = await createTestDatabase('postgres');
        cleanups.push(fresh.dispose);
        return {
          target: { dialect: 'postgres', url: fresh.url as string },
          open: () => Promise.resolve(fresh.db),
        };
      };
    }
    await migrate(sourceDb, MIGRATIONS);
    const server = await startTestServer({
      dialect,
      database: lent(dialect, sourceDb, source.dialect === 'postgres' ? source.url : undefined),
      keyringFile,
    });
    try {
      seeded = await seed(server, marker);
    } finally {
      await server.close();
    }
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  });

  it('restores every table row by row into an empty database after the original is wiped', async () => {
    const before = await snapshot(sourceDb);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['tenants', 'users', 'audit_events', 'schema_migrations']),
    );
    const backup = await createBackup({
      db: sourceDb,
      blobs,
      keyring,
      source,
      now: new Date(),
    });
    // The audit event of the backup itself is written after the dump: not in the backup.
    const events = await listAuditEvents(sourceDb, { tenantId: null, limit: 1 });
    expect(events[0]).toMatchObject({ action: 'backup.create', targetId: backup.id });

    // A database with tables is refused, and left as it was.
    const nonEmpty: RestoreTarget =
      source.dialect === 'postgres'
        ? { dialect: 'postgres', url: source.url }
        : { dialect: 'pglite', dataDir: join(directories[0] as string, 'pglite') };
    await expect(
      restoreBackup({ blobs, keyring, backupId: backup.id, target: nonEmpty }),
    ).rejects.toMatchObject({ code: 'restore_target_not_empty' });

    await wipe();
    const { target, open } = await emptyTarget();
    const header = await restoreBackup({ blobs, keyring, backupId: backup.id, target });
    expect(header).toMatchObject({ dialect, backupId: backup.id, keyId: keyring.currentKeyId });
    const restored = await open();
    expect(await snapshot(restored)).toEqual(before);
    // Sequences came back too: new rows do not collide with restored ones.
    await recordAudit(restored, {
      tenantId: null,
      actorId: null,
      action: 'keys.rotate',
      outcome: 'success',
    });

    // A server on the restored database reads it: sign-in finds the accounts by their keyed
    // indexes, the users list shows the decrypted names, the queued notice reaches its address.
    const server = await startTestServer({
      dialect,
      database: lent(dialect, restored, target.dialect === 'postgres' ? target.url : undefined),
      keyringFile,
    });
    const smtp = await startSmtp();
    try {
      const admin = await signIn(server, seeded.adminLoginId, seeded.adminPassword);
      expect(admin.status, admin.text).toBe(200);
      const member = await signIn(server, seeded.memberLoginId, seeded.memberPassword);
      expect(member.json).toMatchObject({ user: { displayName: `${marker} 先生` } });
      const users = await as(
        server,
        (admin.json as { accessToken: string }).accessToken,
      )('/v1/users');
      const listed = (
        users.json as { users: { loginId: string; displayName: string; email: string | null }[] }
      ).users;
      expect(listed.map((u) => [u.loginId, u.displayName, u.email])).toEqual([
        [seeded.adminLoginId, `Admin ${seeded.adminLoginId}`, 'drill-admin@example.jp'],
        [seeded.memberLoginId, `${marker} 先生`, null],
      ]);
      const sender = sendNoticesJob({
        cipher: createFieldCipher(keyring),
        mailer: createMailer({ smtpUrl: smtp.url, from: 'Weebum <notice@weebum.invalid>' }, ''),
      });
      const sent = await runJob(sender, {
        db: restored,
        blobs,
        now: () => new Date(),
        log: () => undefined,
      });
      expect(sent).toEqual({ status: 'done', processed: 1 });
      expect(smtp.received.map(recipientOf)).toEqual(['drill-admin@example.jp']);
      expect(smtp.received[0]?.subject).toBe('【Weebum】復元訓練 / Restore drill');
    } finally {
      await smtp.close();
      await server.close();
    }
  }, 120_000);

  it('keeps no plaintext in the stored object and does not open without the key', async () => {
    const backups = await listBackups(blobs);
    const backup = backups[0] as { id: string };
    const raw = await readAll(await blobs.read(backupKey(backup.id)));
    expect(raw.length).toBeGreaterThan(1000);
    expect(raw.includes(Buffer.from(marker))).toBe(false);
    expect(raw.includes(Buffer.from('CREATE TABLE'))).toBe(false);

    // Same key id, other key bytes: authentication fails and nothing is restored.
    const impostor = keyringFrom({
      ...generateKeyringFile(new Date()),
      current: keyring.currentKeyId,
      dataKeys: { [keyring.currentKeyId]: randomBytes(32).toString('base64') },
    });
    const { target, open } = await emptyTarget();
    await expect(
      restoreBackup({ blobs, keyring: impostor, backupId: backup.id, target }),
    ).rejects.toMatchObject({ code: 'backup_auth_failed' });
    if (target.dialect === 'pglite') {
      expect(() => readdirSync(target.dataDir)).toThrow();
    } else {
      const db = await open();
      expect(await snapshot(db)).toEqual({});
    }
    // A keyring without the backup's key id says so.
    await expect(
      restoreBackup({
        blobs,
        keyring: keyringFrom(generateKeyringFile(new Date('2020-01-01T00:00:00Z'))),
        backupId: backup.id,
        target,
      }),
    ).rejects.toMatchObject({ code: 'backup_key_unknown' });
    await expect(
      restoreBackup({ blobs, keyring, backupId: randomUUID(), target }),
    ).rejects.toMatchObject({ code: 'backup_not_found' });
  });

  it('deletes backups at 7 days and not a millisecond before, audited, keeping newer ones', async () => {
    const { target, open } = await emptyTarget();
    // The seeded database is gone; back up the restored copy from here on.
    const header = await restoreBackup({
      blobs,
      keyring,
      backupId: (await listBackups(blobs))[0]?.id as string,
      target,
    });
    expect(header.dialect).toBe(dialect);
    const db = await open();
    const jobSource: BackupSource =
      target.dialect === 'postgres'
        ? { dialect: 'postgres', url: target.url }
        : await (async () => {
            // PGlite holds its directory exclusively: dump through the handle we opened.
            const handle = db as Awaited<ReturnType<typeof createPgliteDb>>;
            return { dialect: 'pglite' as const, dumpDataDir: () => handle.dumpDataDir() };
          })();
    for (const b of await listBackups(blobs)) await blobs.delete(backupKey(b.id));

    const t0 = new Date('2026-11-01T18:00:00.000Z');
    const deps = { db, blobs, keyring, source: jobSource };
    const old = await createBackup({ ...deps, now: t0 });
    const newer = await createBackup({ ...deps, now: new Date(t0.getTime() + 5 * DAY_MS) });

    const justBefore = new Date(t0.getTime() + 7 * DAY_MS - 1);
    expect(await deleteExpiredBackups({ db, blobs, now: justBefore })).toEqual([]);
    expect(await blobs.head(backupKey(old.id))).not.toBeNull();

    const atDeadline = new Date(t0.getTime() + 7 * DAY_MS);
    const job = await runBackupJob({ ...deps, now: atDeadline });
    expect(job.deleted).toEqual([old.id]);
    expect(await blobs.head(backupKey(old.id))).toBeNull();
    expect(await blobs.head(backupKey(newer.id))).not.toBeNull();
    expect((await listBackups(blobs)).map((b) => b.id)).toEqual([newer.id, job.created]);

    const [deletion] = await listAuditEvents(db, { tenantId: null, limit: 1 });
    expect(deletion).toMatchObject({
      action: 'backup.delete',
      occurredAt: atDeadline,
      details: { kind: 'backup', count: 1, ids: old.id, reason: 'P10: backups are kept 7 days' },
    });
  });
});
