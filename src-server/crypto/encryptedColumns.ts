/**
 * The one definition of every encrypted column (P8): where it is, the label its values are
 * sealed under (bound into each value as additional data) and the tenant each value is bound
 * to. Every writer and reader seals and opens through these rows (FieldCipher takes nothing
 * else) and key rotation walks all of them, so a column added here is rotated too, and a
 * reader can never disagree with its writer about a label.
 *
 * Convention, checked against the live schema by keys/keyRotation.test.ts: an encrypted
 * column's name ends in `_enc`, and every such column has a row here.
 *
 * Labels and purposes are part of the stored data: changing one makes every value written
 * under the old one unreadable. A new column gets a new row; an existing row never changes.
 */
export interface EncryptedColumn {
  readonly table: string;
  readonly column: string;
  /** Additional data bound into every value: a value moved to another column fails to open. */
  readonly label: string;
  /** The row's primary key columns, so key rotation can walk the table in batches. */
  readonly rowKey: readonly string[];
  /**
   * SQL over the row (aliased `t`) giving the tenant each value is bound to; NULL means the
   * operator (OPERATOR_CIPHER_TENANT). Only key rotation needs it: readers know their row.
   */
  readonly tenantSql: string;
}

/** A keyed hash for equality look-ups; `purpose` keeps equal values in two indexes apart. */
export interface BlindIndex {
  readonly table: string;
  readonly column: string;
  readonly purpose: string;
}

/** The operator has no tenant; its values are bound to this fixed value instead. */
export const OPERATOR_CIPHER_TENANT = 'operator';

const USER_EMAIL: EncryptedColumn = {
  table: 'users',
  column: 'email_enc',
  label: 'users.email_enc',
  rowKey: ['id'],
  tenantSql: 't.tenant_id',
};

export const ENCRYPTED_COLUMNS = {
  userLoginId: {
    table: 'users',
    column: 'login_id_enc',
    label: 'users.login_id_enc',
    rowKey: ['id'],
    tenantSql: 't.tenant_id',
  },
  userDisplayName: {
    table: 'users',
    column: 'display_name_enc',
    label: 'users.display_name_enc',
    rowKey: ['id'],
    tenantSql: 't.tenant_id',
  },
  userEmail: USER_EMAIL,
  /**
   * The outbox copies `users.email_enc` as it is (it never sees the address), so its values
   * carry that column's label and tenant (a notice's tenant is its recipient's).
   */
  noticeRecipient: {
    table: 'notices',
    column: 'recipient_enc',
    label: USER_EMAIL.label,
    rowKey: ['id'],
    tenantSql: 't.tenant_id',
  },
} as const satisfies Record<string, EncryptedColumn>;

export const BLIND_INDEXES = {
  userLoginId: { table: 'users', column: 'login_id_index', purpose: 'users.login_id' },
  userEmail: { table: 'users', column: 'email_index', purpose: 'users.email' },
} as const satisfies Record<string, BlindIndex>;

/** The registry's columns grouped by table, for walking each table once (key rotation). */
export interface EncryptedTable {
  readonly table: string;
  readonly rowKey: readonly string[];
  readonly columns: readonly EncryptedColumn[];
}

export function encryptedTables(
  columns: readonly EncryptedColumn[] = Object.values(ENCRYPTED_COLUMNS),
): EncryptedTable[] {
  const tables = new Map<string, EncryptedTable>();
  for (const column of columns) {
    const seen = tables.get(column.table);
    if (seen !== undefined && seen.rowKey.join(',') !== column.rowKey.join(',')) {
      throw new Error(`encrypted columns of ${column.table} disagree about its row key`);
    }
    tables.set(column.table, {
      table: column.table,
      rowKey: column.rowKey,
      columns: [...(seen?.columns ?? []), column],
    });
  }
  return [...tables.values()];
}
