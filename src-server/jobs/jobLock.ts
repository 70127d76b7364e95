import { createHash } from 'node:crypto';
import type { Db } from '../db/db.js';

/**
 * A job's advisory lock key: 64 bits of a hash of its name, in a namespace of its own, so it
 * cannot meet the migration lock (migrate.ts) or another job's.
 */
export const jobLockKey = (name: string): string =>
  createHash('sha256').update(`weebum.job:${name}`).digest().readBigInt64BE(0).toString();

// A session-level advisory lock is re-entrant for its own session, and PGlite has only one:
// inside one process the held names are tracked here as well.
const heldInProcess = new WeakMap<Db, Set<string>>();

export type LockedRun<T> =
  { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/**
 * Runs `fn` while holding the job's PostgreSQL advisory lock on a dedicated connection, or
 * returns `acquired: false` at once if another runner holds it. The lock lives and dies with
 * the connection, so a killed runner never leaves it behind.
 */
export async function withJobLock<T>(
  db: Db,
  name: string,
  fn: () => Promise<T>,
): Promise<LockedRun<T>> {
  let held = heldInProcess.get(db);
  if (held === undefined) {
    held = new Set();
    heldInProcess.set(db, held);
  }
  if (held.has(name)) return { acquired: false };
  held.add(name);
  const key = jobLockKey(name);
  try {
    return await db.withConnection(async (conn) => {
      const { rows } = await conn.query<{ acquired: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS acquired',
        [key],
      );
      if (rows[0]?.acquired !== true) return { acquired: false } as const;
      try {
        return { acquired: true, value: await fn() } as const;
      } finally {
        await conn.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    });
  } finally {
    held.delete(name);
  }
}
