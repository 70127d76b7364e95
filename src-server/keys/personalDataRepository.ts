import type { EncryptedTable } from '../crypto/encryptedColumns.js';
import type { Queryable } from '../db/db.js';

/**
 * Reads and rewrites sealed values of any registry table (crypto/encryptedColumns.ts) for key
 * rotation. Table and column names come only from the registry, never from input.
 */
export interface EncryptedRow {
  /** The primary key values, in the order of the table's `rowKey`. */
  readonly key: readonly unknown[];
  /** Column name to stored value (null for an empty column) and the tenant it is bound to. */
  readonly values: Readonly<Record<string, { sealed: string | null; tenantId: string | null }>>;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * A value not sealed under `keyPrefix` (`v1.<keyId>.`). The prefix is compared with left(),
 * not LIKE: key ids may contain `_`, a LIKE wildcard.
 */
const staleCondition = (spec: EncryptedTable, prefixParam: string): string =>
  spec.columns
    .map((c) => {
      const col = `t.${quote(c.column)}`;
      return `(${col} IS NOT NULL AND left(${col}, length(${prefixParam})) <> ${prefixParam})`;
    })
    .join(' OR ');

/** Rows with any value not under `keyPrefix`, after the row key `after`, in row-key order. */
export async function findRowsNotUnder(
  q: Queryable,
  spec: EncryptedTable,
  keyPrefix: string,
  after: readonly unknown[] | null,
  limit: number,
): Promise<EncryptedRow[]> {
  const keys = spec.rowKey.map((k) => `t.${quote(k)}`);
  const selected = [
    ...keys.map((k, i) => `${k} AS "k${i}"`),
    ...spec.columns.flatMap((c, i) => [
      `t.${quote(c.column)} AS "v${i}"`,
      `(${c.tenantSql})::text AS "t${i}"`,
    ]),
  ];
  const cursor =
    after === null
      ? ''
      : `AND (${keys.join(', ')}) > (${after.map((_, i) => `$${i + 3}`).join(', ')})`;
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT ${selected.join(', ')} FROM ${quote(spec.table)} t
      WHERE (${staleCondition(spec, '$1')}) ${cursor}
      ORDER BY ${keys.join(', ')} LIMIT $2`,
    [keyPrefix, limit, ...(after ?? [])],
  );
  return rows.map((r) => ({
    key: spec.rowKey.map((_, i) => r[`k${i}`]),
    values: Object.fromEntries(
      spec.columns.map((c, i) => [
        c.column,
        {
          sealed: (r[`v${i}`] as string | null) ?? null,
          tenantId: (r[`t${i}`] as string | null) ?? null,
        },
      ]),
    ),
  }));
}

/**
 * Replaces one row's sealed values, only if they are still the ones read: a value changed
 * meanwhile by the API is left alone (it was sealed under whatever key that server used, and
 * a later run picks it up if that was an old one). Returns whether the row was written.
 */
export async function replaceSealedValues(
  q: Queryable,
  spec: EncryptedTable,
  row: EncryptedRow,
  next: Readonly<Record<string, string | null>>,
): Promise<boolean> {
  const cols = spec.columns.map((c) => c.column);
  const n = cols.length;
  const sets = cols.map((c, i) => `${quote(c)} = $${i + 1}`).join(', ');
  const guards = cols.map((c, i) => `${quote(c)} IS NOT DISTINCT FROM $${i + 1 + n}`);
  const keyMatch = spec.rowKey.map((k, i) => `${quote(k)} = $${i + 1 + 2 * n}`);
  const { rowCount } = await q.query(
    `UPDATE ${quote(spec.table)} SET ${sets} WHERE ${[...keyMatch, ...guards].join(' AND ')}`,
    [
      ...cols.map((c) => next[c] ?? null),
      ...cols.map((c) => row.values[c]?.sealed ?? null),
      ...row.key,
    ],
  );
  return rowCount > 0;
}

export async function countRowsNotUnder(
  q: Queryable,
  spec: EncryptedTable,
  keyPrefix: string,
): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${quote(spec.table)} t WHERE ${staleCondition(spec, '$1')}`,
    [keyPrefix],
  );
  return Number(rows[0]?.n ?? 0);
}
