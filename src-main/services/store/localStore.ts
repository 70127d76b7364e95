import type { Database } from 'better-sqlite3';
import { createAccountRepository } from './accountRepository.js';
import { createAlbumRepository } from './albumRepository.js';
import { createCursorRepository } from './cursorRepository.js';
import { createMeta } from './metaRepository.js';
import { createOutboxRepository } from './outboxRepository.js';
import { createPageRepository } from './pageRepository.js';
import { createPhotoRepository } from './photoRepository.js';
import { createSettingsRepository } from './settingsRepository.js';
import { createUploadQueueRepository } from './uploadQueueRepository.js';

export interface LocalStoreDeps {
  readonly db: Database;
  readonly file: string;
  readonly now: () => Date;
  readonly randomId: () => string;
}

/** The repositories over one open, migrated database. */
export function createLocalStore({ db, file, now, randomId }: LocalStoreDeps) {
  const meta = createMeta({ db, randomId });
  return {
    file,
    accounts: createAccountRepository(db, now),
    albums: createAlbumRepository(db, now),
    pages: createPageRepository({ db, now, nextMutationNo: meta.nextMutationNo }),
    outbox: createOutboxRepository(db),
    photos: createPhotoRepository({ db, now, randomId }),
    uploadQueue: createUploadQueueRepository(db, now),
    cursors: createCursorRepository(db),
    settings: createSettingsRepository(db),
    clientId: meta.clientId,
    nextMutationNo: meta.nextMutationNo,
    /**
     * Runs `fn` in one transaction (nested repository calls become savepoints): e.g. a batch
     * from the change feed together with its cursor. `fn` must be synchronous.
     */
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    /** The connection's settings, for tests and a support screen. */
    diagnostics: () => ({
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA */
      synchronous: db.pragma('synchronous', { simple: true }) as number,
      foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
    }),
    close: (): void => {
      if (db.open) db.close();
    },
  };
}

export type LocalStore = ReturnType<typeof createLocalStore>;
