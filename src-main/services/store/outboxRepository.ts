import type { Database } from 'better-sqlite3';

export interface OutboxEntry {
  readonly mutationNo: number;
  readonly albumId: string;
  readonly pageId: string;
  readonly createdAt: string;
}

interface OutboxRow {
  mutation_no: number;
  album_id: string;
  page_id: string;
  created_at: string;
}

const entry = (r: OutboxRow): OutboxEntry => ({
  mutationNo: r.mutation_no,
  albumId: r.album_id,
  pageId: r.page_id,
  createdAt: r.created_at,
});

/** Read side of the outbox; rows are written and removed by the page repository. */
export function createOutboxRepository(db: Database) {
  const listAll = db.prepare<[number], OutboxRow>(
    'SELECT mutation_no, album_id, page_id, created_at FROM outbox ORDER BY mutation_no LIMIT ?',
  );
  const listAlbum = db.prepare<[string, number], OutboxRow>(
    `SELECT mutation_no, album_id, page_id, created_at FROM outbox
      WHERE album_id = ? ORDER BY mutation_no LIMIT ?`,
  );
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox');

  return {
    /** Pending pushes, oldest first. */
    list: (options: { albumId?: string; limit?: number } = {}): OutboxEntry[] => {
      const limit = options.limit ?? 1000;
      const rows =
        options.albumId === undefined ? listAll.all(limit) : listAlbum.all(options.albumId, limit);
      return rows.map(entry);
    },
    count: (): number => countAll.get()!.n,
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
