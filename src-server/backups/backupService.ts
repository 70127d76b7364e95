import { randomBytes } from 'node:crypto';
import { backupExpiresAt, isDue } from '../../src-shared/retention/deadlines.js';
import { recordAudit } from '../audit/auditLog.js';
import { BACKUPS_PREFIX, backupKey } from '../blobs/blobKeys.js';
import { BlobNotFoundError, type BlobStore } from '../blobs/blobStore.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from '../db/db.js';
import { createBackupDecryptor, createBackupEncryptor, type BackupHeader } from './backupCipher.js';
import {
  assertRestoreTargetEmpty,
  BackupError,
  dumpDatabase,
  restoreDatabase,
  type BackupSource,
  type RestoreTarget,
} from './databaseDump.js';

/**
 * A backup's id is a UUIDv7 whose first 48 bits are its creation time in milliseconds, so the
 * retention job knows each backup's age from the blob store's key listing alone, and a test's
 * moved clock dates the backups it makes.
 */
export function newBackupId(now: Date): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now.getTime(), 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The creation time in a backup id, or undefined for anything that is not one of ours. */
export function backupCreatedAt(backupId: string): Date | undefined {
  const match = UUID_V7.exec(backupId);
  if (match === null) return undefined;
  return new Date(parseInt(`${match[1] as string}${match[2] as string}`, 16));
}

export interface BackupSummary {
  readonly id: string;
  readonly createdAt: Date;
}

/** Every backup in the store, oldest first. */
export async function listBackups(blobs: BlobStore): Promise<BackupSummary[]> {
  const keys = await blobs.listKeys(BACKUPS_PREFIX);
  return keys
    .flatMap((key) => {
      const id = key.slice(BACKUPS_PREFIX.length);
      const createdAt = backupCreatedAt(id);
      return createdAt === undefined ? [] : [{ id, createdAt }];
    })
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export interface BackupDeps {
  readonly db: Queryable;
  readonly blobs: BlobStore;
  readonly keyring: Keyring;
  readonly source: BackupSource;
  readonly now: Date;
}

/** Dumps, encrypts and stores the whole database in one stream; audited. Returns the id. */
export async function createBackup(deps: BackupDeps): Promise<BackupSummary> {
  const id = newBackupId(deps.now);
  const dump = await dumpDatabase(deps.source);
  const encryptor = createBackupEncryptor(deps.keyring, {
    dialect: deps.source.dialect,
    backupId: id,
    createdAt: deps.now.toISOString(),
  });
  // A failing dump fails the write, which then leaves no object (writeStream's promise).
  dump.on('error', (error) => encryptor.destroy(error));
  await deps.blobs.writeStream(backupKey(id), dump.pipe(encryptor), 'application/octet-stream');
  await recordAudit(deps.db, {
    tenantId: null,
    actorId: null,
    action: 'backup.create',
    outcome: 'success',
    targetType: 'backup',
    targetId: id,
    details: { dialect: deps.source.dialect, keyId: deps.keyring.currentKeyId },
    occurredAt: deps.now,
  });
  return { id, createdAt: deps.now };
}

/** Why expired backups go, as the audit event says it. */
const RETENTION_REASON = 'P10: backups are kept 7 days';

/** Deletes backups 7 days old or older at `now`; one audit event names them all. */
export async function deleteExpiredBackups(
  deps: Pick<BackupDeps, 'db' | 'blobs' | 'now'>,
): Promise<string[]> {
  const expired = (await listBackups(deps.blobs)).filter((b) =>
    isDue(backupExpiresAt(b.createdAt), deps.now),
  );
  for (const backup of expired) await deps.blobs.delete(backupKey(backup.id));
  if (expired.length > 0) {
    await recordAudit(deps.db, {
      tenantId: null,
      actorId: null,
      action: 'backup.delete',
      outcome: 'success',
      targetType: 'backup',
      details: {
        kind: 'backup',
        count: expired.length,
        ids: expired.map((b) => b.id).join(','),
        reason: RETENTION_REASON,
      },
      occurredAt: deps.now,
    });
  }
  return expired.map((b) => b.id);
}

/**
 * The daily job (P10): a new backup first, then the expired ones, so a failed backup never
 * leaves the store with fewer backups than before.
 */
export async function runBackupJob(
  deps: BackupDeps,
): Promise<{ created: string; deleted: string[] }> {
  const created = await createBackup(deps);
  const deleted = await deleteExpiredBackups(deps);
  return { created: created.id, deleted };
}

/**
 * Restores a backup into an empty database (refusing any other before reading a byte). The
 * header's dialect must match the target: a PGlite data directory cannot go into PostgreSQL.
 */
export async function restoreBackup(deps: {
  readonly blobs: BlobStore;
  readonly keyring: Keyring;
  readonly backupId: string;
  readonly target: RestoreTarget;
}): Promise<BackupHeader> {
  await assertRestoreTargetEmpty(deps.target);
  const key = backupKey(deps.backupId);
  let body;
  try {
    body = await deps.blobs.read(key);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      throw new BackupError('backup_not_found', `no backup ${deps.backupId}`);
    }
    throw error;
  }
  let header: BackupHeader | undefined;
  // Thrown here, before any plaintext, the error fails the decrypting stream.
  const decryptor = createBackupDecryptor(deps.keyring, (h) => {
    header = h;
    if (h.dialect !== deps.target.dialect) {
      throw new BackupError(
        'backup_dialect_mismatch',
        `backup ${h.backupId} is a ${h.dialect} backup; it cannot be restored into ${deps.target.dialect}`,
      );
    }
    if (h.backupId !== deps.backupId) {
      throw new BackupError('restore_failed', 'the backup names another backup id in its header');
    }
  });
  body.on('error', (error) => decryptor.destroy(error));
  await restoreDatabase(deps.target, body.pipe(decryptor));
  return header as BackupHeader;
}
