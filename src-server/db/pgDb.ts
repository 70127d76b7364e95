import pg from 'pg';
import type { Db, QueryResult, Queryable, Row } from './db.js';

// Per-pool type parsers, so that nothing global in `pg` is changed for other users.
const INT8_OID = 20;
const DATE_OID = 1082;
const keepText = (value: string): string => value;

function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID || oid === DATE_OID) return keepText;
  // pg-types declares its parsers as `any`; pin them to what they are.
  const parser = (
    format === undefined
      ? pg.types.getTypeParser(oid)
      : pg.types.getTypeParser(oid, format as 'text')
  ) as (value: string) => unknown;
  return parser;
}

export interface PgDbOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  /** Called for errors of idle connections (server restart, network): logged, not fatal. */
  readonly onIdleError: (error: Error) => void;
}

export function createPgDb(options: PgDbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: { getTypeParser: typeParser as pg.CustomTypesConfig['getTypeParser'] },
  });
  // Without a listener an idle client's error would crash the process.
  pool.on('error', options.onIdleError);

  const run = async <T extends Row>(
    client: pg.Pool | pg.PoolClient,
    sql: string,
    params: readonly unknown[] | undefined,
  ): Promise<QueryResult<T>> => {
    const result = await client.query<T>(sql, params === undefined ? undefined : [...params]);
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  };

  return {
    dialect: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back must not go back into the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async withConnection<T>(fn: (conn: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await fn({ query: (sql, params) => run(client, sql, params) });
      } catch (error) {
        // Session state (an advisory lock) may be left behind: the connection is not reused.
        broken = error instanceof Error ? error : new Error('connection use failed');
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
