import type { Queryable } from '../db/db.js';
import { USER_ENCRYPTED_COLUMNS } from '../users/userRepository.js';

/**
 * Every table with FieldCipher columns, for key rotation. A new table with personal data is
 * added here, or `keys rotate` would leave its rows under old keys.
 */
export const ENCRYPTED_TABLES = [{ table: 'users', columns: USER_ENCRYPTED_COLUMNS }] as const;
export type EncryptedTable = (typeof ENCRYPTED_TABLES)[number];

export interface EncryptedRow {
  readonly id: string;
  readonly tenantId: string | null;
  /** Column name to stored value (null for an empty column). */
  readonly values: Readonly<Record<string, string | null>>;
}

/**
 * Rows with any value not sealed under `keyPrefix` (`v1.<keyId>.`), after `afterId`, in id
 * order. The prefix is compared with left(), not LIKE: key ids may contain `_`, a LIKE wildcard.
 */
export async function findRowsNotUnder(
  q: Queryable,
  spec: EncryptedTable,
  keyPrefix: string,
  afterId: string | null,
  limit: number,
): Promise<EncryptedRow[]> {
  const stale = spec.columns
    .map((c) => `(${c} IS NOT NULL AND left(${c}, length($1)) <> $1)`)
    .join(' OR ');
  const { rows } = await q.query<Record<string, string | null> & { id: string }>(
    `SELECT id, tenant_id, ${spec.columns.join(', ')} FROM ${spec.table}
      WHERE (${stale}) AND ($2::uuid IS NULL OR id > $2::uuid)
      ORDER BY id LIMIT $3`,
    [keyPrefix, afterId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    tenantId: r['tenant_id'] ?? null,
    values: Object.fromEntries(spec.columns.map((c) => [c, r[c] ?? null])),
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
  const cols = spec.columns;
  const sets = cols.map((c, i) => `${c} = $${i + 2}`).join(', ');
  const guards = cols
    .map((c, i) => `${c} IS NOT DISTINCT FROM $${i + 2 + cols.length}`)
    .join(' AND ');
  const { rowCount } = await q.query(
    `UPDATE ${spec.table} SET ${sets} WHERE id = $1 AND ${guards}`,
    [row.id, ...cols.map((c) => next[c] ?? null), ...cols.map((c) => row.values[c] ?? null)],
  );
  return rowCount > 0;
}

export async function countRowsNotUnder(
  q: Queryable,
  spec: EncryptedTable,
  keyPrefix: string,
): Promise<number> {
  const stale = spec.columns
    .map((c) => `(${c} IS NOT NULL AND left(${c}, length($1)) <> $1)`)
    .join(' OR ');
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${spec.table} WHERE ${stale}`,
    [keyPrefix],
  );
  return Number(rows[0]?.n ?? 0);
}
