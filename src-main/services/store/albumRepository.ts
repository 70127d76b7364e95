import type { Database } from 'better-sqlite3';
import type { Album } from '../../../src-shared/model/album.js';
import { parseAlbum } from '../../../src-shared/model/parse.js';
import { err, ok, type Result } from '../../../src-shared/result.js';
import { invalidStoredDocument, StoreUsageError } from './storeErrors.js';

export interface AlbumRecord {
  readonly album: Album;
  readonly accountId: number;
  readonly serverVersion: number;
  /** The server said this account may no longer see the album; kept until the caller drops it. */
  readonly accessLost: boolean;
}

/**
 * Files the dropped rows pointed at. The caller deletes them after the commit, and only those
 * it owns (copies in the library and thumbnails), never a user's original.
 */
export interface DroppedFiles {
  /** The user's own files (never deleted by us); remote photos have none. */
  readonly photoFiles: string[];
  readonly thumbnails: string[];
  /** SHA-256 of the dropped photos: their cached server originals go when no photo uses them. */
  readonly contentIds: string[];
}

interface AlbumRow {
  id: string;
  account_id: number;
  document: string;
  server_version: number;
  access_lost: number;
}

export function createAlbumRepository(db: Database, now: () => Date) {
  const upsert = db.prepare(
    `INSERT INTO albums (id, account_id, document, server_version, access_lost, updated_at)
     VALUES (@id, @accountId, @document, @serverVersion, 0, @at)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id,
       document = excluded.document, server_version = excluded.server_version,
       access_lost = 0, updated_at = excluded.updated_at
     WHERE excluded.server_version >= albums.server_version`,
  );
  const byId = db.prepare<[string], AlbumRow>('SELECT * FROM albums WHERE id = ?');
  const byAccount = db.prepare<[number], AlbumRow>(
    'SELECT * FROM albums WHERE account_id = ? ORDER BY id',
  );
  const lose = db.prepare('UPDATE albums SET access_lost = 1, updated_at = ? WHERE id = ?');
  const files = db.prepare<
    [string],
    { file_path: string; thumbnail_path: string | null; sha256: string | null }
  >('SELECT file_path, thumbnail_path, sha256 FROM photos WHERE album_id = ?');
  const remove = db.prepare('DELETE FROM albums WHERE id = ?');

  const toRecord = (r: AlbumRow): AlbumRecord => {
    let doc: unknown;
    try {
      doc = JSON.parse(r.document);
    } catch {
      doc = null;
    }
    const parsed = parseAlbum(doc);
    if (!parsed.ok)
      throw new StoredAlbumError(invalidStoredDocument(`album ${r.id}`, parsed.error));
    return {
      album: parsed.value,
      accountId: r.account_id,
      serverVersion: r.server_version,
      accessLost: r.access_lost === 1,
    };
  };

  const guarded = <T>(fn: () => T): Result<T> => {
    try {
      return ok(fn());
    } catch (error) {
      if (error instanceof StoredAlbumError) return err(error.appError);
      throw error;
    }
  };

  const dropAlbum = db.transaction((id: string): DroppedFiles => {
    const rows = files.all(id);
    remove.run(id);
    return droppedFiles(rows);
  });

  return {
    /** Stores the server's copy; an older server version than the one held is ignored. */
    upsertRemote: (accountId: number, album: Album, serverVersion: number): void => {
      const parsed = parseAlbum(album);
      if (!parsed.ok) throw new StoreUsageError(`refusing to store album: ${parsed.error.message}`);
      upsert.run({
        id: parsed.value.id,
        accountId,
        document: JSON.stringify(parsed.value),
        serverVersion,
        at: now().toISOString(),
      });
    },
    get: (id: string): Result<AlbumRecord | null> =>
      guarded(() => {
        const r = byId.get(id);
        return r ? toRecord(r) : null;
      }),
    list: (accountId: number): Result<AlbumRecord[]> =>
      guarded(() => byAccount.all(accountId).map(toRecord)),
    markAccessLost: (id: string): boolean => lose.run(now().toISOString(), id).changes > 0,
    /**
     * Drops the album with its pages, outbox, photos, upload queue and cursor (one transaction)
     * and returns the local photo and thumbnail files for the caller to delete.
     */
    remove: (id: string): DroppedFiles => dropAlbum(id),
  };
}

export type AlbumRepository = ReturnType<typeof createAlbumRepository>;

class StoredAlbumError extends Error {
  constructor(readonly appError: { code: string; message: string }) {
    super(appError.message);
  }
}

/** What dropping these photo rows leaves to clean up on disk. */
export function droppedFiles(
  rows: readonly { file_path: string; thumbnail_path: string | null; sha256: string | null }[],
): DroppedFiles {
  return {
    photoFiles: rows.flatMap((r) => (r.file_path === '' ? [] : [r.file_path])),
    thumbnails: rows.flatMap((r) => (r.thumbnail_path === null ? [] : [r.thumbnail_path])),
    contentIds: [...new Set(rows.flatMap((r) => (r.sha256 === null ? [] : [r.sha256])))],
  };
}
