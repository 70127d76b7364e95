import type { Database } from 'better-sqlite3';

/** Per-album change-feed position: the last server sequence number applied. */
export function createCursorRepository(db: Database) {
  const read = db.prepare<[string], { last_seq: number }>(
    'SELECT last_seq FROM sync_cursors WHERE album_id = ?',
  );
  const write = db.prepare(
    `INSERT INTO sync_cursors (album_id, last_seq) VALUES (?, ?)
     ON CONFLICT (album_id) DO UPDATE SET last_seq = excluded.last_seq`,
  );
  return {
    get: (albumId: string): number => read.get(albumId)?.last_seq ?? 0,
    /** Call inside the transaction that applied the changes up to `lastSeq`. */
    set: (albumId: string, lastSeq: number): void => {
      if (!Number.isSafeInteger(lastSeq) || lastSeq < 0) {
        throw new RangeError(`cursor must be a non-negative integer, got ${lastSeq}`);
      }
      write.run(albumId, lastSeq);
    },
  };
}

export type CursorRepository = ReturnType<typeof createCursorRepository>;
