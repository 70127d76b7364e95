import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, QueryResult, Queryable, Row } from './db.js';

/** Same JS types as the pg implementation (see db.ts). */
const PARSERS = {
  [types.INT8]: (value: string) => value,
  [types.DATE]: (value: string) => value,
  // Text form of bytea is `\x` followed by hex.
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};

interface PgliteQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
}

const run = async <T extends Row>(
  target: PgliteQueryable,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<T>> => {
  const result = await target.query<T>(sql, params === undefined ? undefined : [...params]);
  // PGlite reports affectedRows for writes and leaves it 0 for selects.
  return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
};

/** PGlite can also hand over its whole data directory, which is its backup (P10). */
export interface PgliteDb extends Db {
  readonly dialect: 'pglite';
  /** A gzipped tarball of the data directory, restorable with `loadDataDir`. In memory. */
  dumpDataDir(): Promise<Buffer>;
}

/**
 * Embedded PostgreSQL for development and tests. One process only: PGlite holds the data
 * directory exclusively, so two servers must not share one (production uses DATABASE_URL).
 * `dataDir` undefined keeps the database in memory.
 */
export async function createPgliteDb(dataDir: string | undefined): Promise<PgliteDb> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    parsers: PARSERS,
  });
  return {
    dialect: 'pglite',
    query: (sql, params) => run(pglite, sql, params),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      pglite.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    withConnection: <T>(fn: (conn: Queryable) => Promise<T>) =>
      fn({ query: (sql, params) => run(pglite, sql, params) }),
    close: () => pglite.close(),
    dumpDataDir: async () => {
      const tarball = await pglite.dumpDataDir('gzip');
      return Buffer.from(await tarball.arrayBuffer());
    },
  };
}
