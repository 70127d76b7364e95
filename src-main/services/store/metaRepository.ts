import type { Database } from 'better-sqlite3';

export interface MetaDeps {
  readonly db: Database;
  readonly randomId: () => string;
}

/** Values the store keeps for itself: this install's client id and its mutation counter. */
export function createMeta({ db, randomId }: MetaDeps) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const bump = db.prepare<[], { value: string }>(
    `INSERT INTO meta (key, value) VALUES ('mutation_no', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
     RETURNING value`,
  );

  const clientId = db.transaction((): string => {
    const existing = read.get('client_id');
    if (existing) return existing.value;
    insert.run('client_id', randomId());
    return read.get('client_id')!.value;
  });

  return {
    /** Made once per database and kept: the server dedups pushes by (client id, mutation no). */
    clientId: (): string => clientId(),
    /**
     * The next mutation number, never handed out twice: it commits with the caller's
     * transaction (or alone), so a rolled-back save gives its number back with its data.
     */
    nextMutationNo: (): number => Number(bump.get()!.value),
  };
}
