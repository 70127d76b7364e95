import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../db/db.js';
import { createPgDb } from '../db/pgDb.js';
import { createPgliteDb } from '../db/pgliteDb.js';

export const DIALECTS = ['pglite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const adminDatabaseUrl = (): string =>
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly dialect: Dialect;
  /** For postgres: the throw-away database's URL (pass to a child process as DATABASE_URL). */
  readonly url: string | undefined;
  /** Opens another handle to the same database (postgres only; PGlite is single-handle). */
  readonly connect: () => Db;
  readonly db: Db;
  /** Closes handles and drops the database. */
  readonly dispose: () => Promise<void>;
}

/**
 * A fresh database per test file: an in-process PGlite in `dataDir`, or a new database
 * `weebum_test_<random>` on the PostgreSQL server at TEST_DATABASE_URL, dropped afterwards.
 */
export async function createTestDatabase(
  dialect: Dialect,
  pgliteDataDir?: string,
): Promise<TestDatabase> {
  if (dialect === 'pglite') {
    const db = await createPgliteDb(pgliteDataDir);
    return {
      dialect,
      url: undefined,
      db,
      connect: () => {
        throw new Error('PGlite has one handle per data directory');
      },
      dispose: () => db.close(),
    };
  }
  const name = `weebum_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  const handles: Db[] = [];
  const connect = (): Db => {
    const db = createPgDb({
      connectionString: url.toString(),
      onIdleError: () => undefined,
    });
    handles.push(db);
    return db;
  };
  const db = connect();
  return {
    dialect,
    url: url.toString(),
    db,
    connect,
    dispose: async () => {
      await Promise.all(handles.map((h) => h.close()));
      const cleanup = new pg.Client({ connectionString: adminDatabaseUrl() });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
