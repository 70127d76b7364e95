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
import { generateKeyringFile, keyringFrom, type Keyring } from '../crypto/keyring.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { createPgliteDb } from '../db/pgliteDb.js';
import { startS3rverStore } from '../testing/s3rverStore.js';
import { createTestDatabase, DIALECTS, type Dialect } from '../testing/testDatabase.js';
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

/** Rows in several tables and column types, with a marker that must never appear in a backup. */
async function seed(db: Db, keyring: Keyring, marker: string): Promise<void> {
  await migrate(db, MIGRATIONS);
  const cipher = createFieldCipher(keyring);
  const tenant = await db.query<{ id: string }>(
    `INSERT INTO tenants (kind, name, contract_start) VALUES ('school', $1, now()) RETURNING id`,
    [`${marker} 高校`],
  );
  const tenantId = tenant.rows[0]?.id as string;
  const ctx = (column: string) => ({ tenantId, column });
  await db.query(
    `INSERT INTO users (tenant_id, role, login_id_index, login_id_enc, display_name_enc,
                        password_hash, created_at, updated_at)
     VALUES ($1, 'school_admin', $2, $3, $4, 'not-a-real-hash', now(), now())`,
    [
      tenantId,
      cipher.blindIndex(`${marker}-login`, 'login_id'),
      cipher.encrypt(`${marker}-login`, ctx('users.login_id')),
      cipher.encrypt(`${marker} 先生`, ctx('users.display_name')),
    ],
  );
  for (let i = 0; i < 50; i++) {
    await recordAudit(db, {
      tenantId,
      actorId: null,
      action: 'auth.sign_in',
      outcome: i % 2 === 0 ? 'success' : 'failure',
      sourceAddress: `203.0.113.${i}`,
      details: { attempt: i, note: marker },
    });
  }
}

describe.each(DIALECTS)('backup and restore drill on %s with S3 (s3rver)', (dialect: Dialect) => {
  const directories: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let blobs: BlobStore;
  const keyring = keyringFrom(generateKeyringFile(new Date()));
  const marker = `DRILL-${randomUUID()}`;
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
    await seed(sourceDb, keyring, marker);
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
    const decrypted = await restored.query<{ display_name_enc: string; tenant_id: string }>(
      'SELECT display_name_enc, tenant_id FROM users',
    );
    const user = decrypted.rows[0] as { display_name_enc: string; tenant_id: string };
    expect(
      createFieldCipher(keyring).decrypt(user.display_name_enc, {
        tenantId: user.tenant_id,
        column: 'users.display_name',
      }),
    ).toBe(`${marker} 先生`);
  });

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
