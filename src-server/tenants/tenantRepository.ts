import type { TenantKind } from '../../src-shared/auth/roles.js';
import type { Queryable } from '../db/db.js';

/** The only code that reads or writes `tenants`. */
export interface Tenant {
  readonly id: string;
  readonly kind: TenantKind;
  readonly name: string;
  readonly contractStart: Date;
  readonly contractEnd: Date | null;
  /** Stops every retention purge of the tenant's data while set (operator only). */
  readonly legalHold: boolean;
  readonly createdAt: Date;
}

interface TenantRow extends Record<string, unknown> {
  id: string;
  kind: TenantKind;
  name: string;
  contract_start: Date;
  contract_end: Date | null;
  legal_hold: boolean;
  created_at: Date;
}

const COLUMNS = 'id, kind, name, contract_start, contract_end, legal_hold, created_at';

const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  contractStart: r.contract_start,
  contractEnd: r.contract_end,
  legalHold: r.legal_hold,
  createdAt: r.created_at,
});

export const tenantRepository = {
  async insert(
    q: Queryable,
    t: { kind: TenantKind; name: string; contractStart: Date; contractEnd: Date | null; now: Date },
  ): Promise<Tenant> {
    const { rows } = await q.query<TenantRow>(
      `INSERT INTO tenants (kind, name, contract_start, contract_end, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [t.kind, t.name, t.contractStart, t.contractEnd, t.now],
    );
    if (rows[0] === undefined) throw new Error('tenant insert returned no row');
    return toTenant(rows[0]);
  },

  async findById(q: Queryable, id: string, forUpdate = false): Promise<Tenant | undefined> {
    const { rows } = await q.query<TenantRow>(
      `SELECT ${COLUMNS} FROM tenants WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? undefined : toTenant(rows[0]);
  },

  async list(q: Queryable): Promise<Tenant[]> {
    const { rows } = await q.query<TenantRow>(
      `SELECT ${COLUMNS} FROM tenants ORDER BY created_at, id`,
    );
    return rows.map(toTenant);
  },

  async update(
    q: Queryable,
    id: string,
    t: { name: string; contractStart: Date; contractEnd: Date | null },
  ): Promise<Tenant> {
    const { rows } = await q.query<TenantRow>(
      `UPDATE tenants SET name = $2, contract_start = $3, contract_end = $4
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, t.name, t.contractStart, t.contractEnd],
    );
    if (rows[0] === undefined) throw new Error('tenant vanished during update');
    return toTenant(rows[0]);
  },

  async setLegalHold(q: Queryable, id: string, legalHold: boolean): Promise<Tenant> {
    const { rows } = await q.query<TenantRow>(
      `UPDATE tenants SET legal_hold = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, legalHold],
    );
    if (rows[0] === undefined) throw new Error('tenant vanished during update');
    return toTenant(rows[0]);
  },
};
