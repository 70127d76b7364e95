import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { err, ok, type Result } from '../../../src-shared/result.js';
import { createLocalStore, type LocalStore } from './localStore.js';
import { runMigrations, SchemaTooNewError } from './migrate.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { moveAside } from './moveAside.js';

export interface OpenLocalStoreOptions {
  /** Path of the database file; its folder must exist. */
  readonly file: string;
  readonly now: () => Date;
  readonly randomId?: () => string;
  /** For tests of the migration runner; the app uses the built-in list. */
  readonly migrations?: readonly Migration[];
}

/** The previous file could not be used and was renamed; tell the user, it may hold work. */
export interface StoreRecovery {
  readonly movedTo: string;
  readonly reason: string;
  readonly message: string;
}

export interface OpenedStore {
  readonly store: LocalStore;
  readonly recovered: StoreRecovery | null;
}

/**
 * Durability. WAL with synchronous=FULL: every commit is fsynced before it returns, so a saved
 * edit survives a killed process AND a power cut or OS crash. NORMAL would also survive a kill
 * (the WAL is written before commit returns) but may lose the last commits on an OS crash, and
 * a lost commit could hand the same mutation number out again after a push the server already
 * recorded, which the server would then answer as "already applied": an edit lost silently.
 * Measured here: about 2 ms per commit, fine at the pace of human saves.
 */
const PRAGMAS = [
  'busy_timeout = 5000',
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
];

class CorruptDatabaseError extends Error {}

const isCorruption = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof CorruptDatabaseError ||
    (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')))
  );
};

function openDatabase(file: string, migrations: readonly Migration[]): Database.Database {
  const db = new Database(file);
  try {
    for (const pragma of PRAGMAS) db.pragma(pragma);
    const mode = db.pragma('journal_mode', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch to WAL (journal_mode=${String(mode)})`);
    // A full read of every page and index: damage is found now, not in the middle of a save.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CorruptDatabaseError(`integrity check failed: ${String(check)}`);
    runMigrations(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Opens (creating if needed) the local store. A file that is not SQLite or is damaged is
 * renamed to `<file>.corrupt-<timestamp>` (never deleted or overwritten) and a fresh store is
 * created; `recovered` then says where the old file went. Other failures (locked by another
 * instance, no permission, a database from a newer app) are returned as errors and the file
 * is left alone: moving it would hide good data.
 */
export function openLocalStore(options: OpenLocalStoreOptions): Result<OpenedStore> {
  const migrations = options.migrations ?? MIGRATIONS;
  const build = (db: Database.Database) =>
    createLocalStore({
      db,
      file: options.file,
      now: options.now,
      randomId: options.randomId ?? randomUUID,
    });

  try {
    return ok({ store: build(openDatabase(options.file, migrations)), recovered: null });
  } catch (error) {
    if (error instanceof SchemaTooNewError) {
      return err({ code: 'store_too_new', message: error.message });
    }
    if (!isCorruption(error) || !fs.existsSync(options.file)) {
      return err({
        code: 'store_unavailable',
        message: `The local database ${options.file} could not be opened: ${describe(error)} / ローカルデータベースを開けませんでした。`,
      });
    }
    const reason = describe(error);
    let movedTo: string;
    try {
      movedTo = moveAside(options.file, options.now());
    } catch (moveError) {
      return err({
        code: 'store_unavailable',
        message: `The local database ${options.file} is damaged (${reason}) and could not be moved aside: ${describe(moveError)} / ローカルデータベースが破損しており、退避もできませんでした。`,
      });
    }
    try {
      const store = build(openDatabase(options.file, migrations));
      return ok({
        store,
        recovered: {
          movedTo,
          reason,
          message: `The local database was damaged (${reason}). It was moved to ${movedTo} and a new one was created; work that was synced will download again. / ローカルデータベースが破損していたため ${movedTo} に退避し、新しく作成しました。同期済みのデータは再度ダウンロードされます。`,
        },
      });
    } catch (freshError) {
      return err({
        code: 'store_unavailable',
        message: `The damaged database was moved to ${movedTo}, but a new one could not be created: ${describe(freshError)} / 新しいローカルデータベースを作成できませんでした。`,
      });
    }
  }
}
