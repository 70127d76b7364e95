/**
 * The only door to the database. Both implementations (pg.Pool for production, PGlite for
 * development) take the same SQL with `$1` parameters and return values of the same JS types:
 * int8 and numeric as strings (no silent precision loss), bytea as Buffer, date as 'YYYY-MM-DD'
 * (a JS Date would shift it by the local time zone), timestamptz as Date, json as parsed values.
 */
export type Row = Record<string, unknown>;

export interface QueryResult<T extends Row> {
  readonly rows: T[];
  /** Rows returned or affected. */
  readonly rowCount: number;
}

export interface Queryable {
  /** One statement. The row type is the caller's claim; validate rows that come from outside. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Queryable {
  /**
   * Runs `fn` in one transaction: committed if it resolves, rolled back if it throws.
   * Use only `tx` inside: on PGlite (one connection) a query on the outer Db would wait forever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on one connection held for its whole duration, outside any transaction: for
   * session-level state such as a job's advisory lock. PGlite has one connection, so there it
   * is the database itself (and a session lock there is re-entrant within the process).
   */
  withConnection<T>(fn: (conn: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly dialect: 'postgres' | 'pglite';
}
