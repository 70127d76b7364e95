import { join } from 'node:path';
import { openBlobStore } from '../blobs/openBlobStore.js';
import type { ServerConfig } from '../config.js';
import type { Db } from '../db/db.js';
import { createPgDb } from '../db/pgDb.js';
import { createPgliteDb } from '../db/pgliteDb.js';
import { loadKeyring } from '../keys/loadKeyring.js';
import { createBackup, listBackups, restoreBackup } from './backupService.js';
import { backupSourceFor, type RestoreTarget } from './databaseDump.js';

export const BACKUP_COMMAND_HELP = `  backup    back up the whole database, encrypted, into the blob store (backups/<id>)
  backup list          list the stored backups, oldest first
  restore <id>         restore a backup into an empty database (refuses any other)`;

export type BackupCommand =
  | { readonly kind: 'backup' }
  | { readonly kind: 'list' }
  | { readonly kind: 'restore'; readonly backupId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** undefined: not a backup command. */
export function parseBackupCommand(
  command: string,
  args: readonly string[],
): { ok: true; value: BackupCommand } | { ok: false; error: string } | undefined {
  if (command === 'backup') {
    if (args.length === 0) return { ok: true, value: { kind: 'backup' } };
    if (args.length === 1 && args[0] === 'list') return { ok: true, value: { kind: 'list' } };
    return { ok: false, error: 'usage: weebum-server backup [list]' };
  }
  if (command === 'restore') {
    const [backupId, ...extra] = args;
    if (backupId === undefined || extra.length > 0 || !UUID.test(backupId)) {
      return { ok: false, error: 'usage: weebum-server restore <backup id> (see "backup list")' };
    }
    return { ok: true, value: { kind: 'restore', backupId } };
  }
  return undefined;
}

/**
 * Runs on the configured database and blob store with the server's keyring. PGlite holds its
 * directory exclusively: stop `serve` before backing up or restoring the embedded database.
 */
export async function runBackupCommand(
  cmd: BackupCommand,
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  io: { stdout: (line: string) => void },
): Promise<number> {
  const { keyring } = await loadKeyring(env, config.dataDir, new Date());
  const blobs = await openBlobStore(config, () => '', keyring);
  try {
    if (cmd.kind === 'list') {
      const backups = await listBackups(blobs.store);
      if (backups.length === 0) io.stdout('No backups.');
      for (const b of backups) io.stdout(`${b.id}  ${b.createdAt.toISOString()}`);
      return 0;
    }
    const pgliteDir = join(config.dataDir, 'pglite');
    if (cmd.kind === 'restore') {
      const target: RestoreTarget =
        config.databaseUrl === undefined
          ? { dialect: 'pglite', dataDir: pgliteDir }
          : { dialect: 'postgres', url: config.databaseUrl };
      const header = await restoreBackup({
        blobs: blobs.store,
        keyring,
        backupId: cmd.backupId,
        target,
      });
      io.stdout(`Restored backup ${cmd.backupId} (made ${header.createdAt}).`);
      return 0;
    }
    const db: Db =
      config.databaseUrl === undefined
        ? await createPgliteDb(pgliteDir)
        : createPgDb({ connectionString: config.databaseUrl, onIdleError: () => undefined });
    const source = backupSourceFor(db, config.databaseUrl);
    try {
      const backup = await createBackup({
        db,
        blobs: blobs.store,
        keyring,
        source,
        now: new Date(),
      });
      io.stdout(`Backup ${backup.id} stored (backups/${backup.id}).`);
      return 0;
    } finally {
      await db.close();
    }
  } finally {
    blobs.close();
  }
}
