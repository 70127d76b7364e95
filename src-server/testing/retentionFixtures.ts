import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../db/db.js';

export async function insertTenant(
  q: Queryable,
  kind: 'studio' | 'school',
  options: { contractEnd?: Date; legalHold?: boolean } = {},
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO tenants (kind, name, contract_start, contract_end, legal_hold)
     VALUES ($1, $2, '2025-04-01T00:00:00Z', $3, $4) RETURNING id`,
    [
      kind,
      `${kind} ${randomUUID().slice(0, 8)}`,
      options.contractEnd ?? null,
      options.legalHold ?? false,
    ],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('no tenant');
  return id;
}

/** A user row with placeholder ciphertexts: retention never reads them. */
export async function insertUser(
  q: Queryable,
  tenantId: string,
  role: 'studio_admin' | 'school_admin' | 'designer' | 'school_staff',
  options: { emailEnc?: string } = {},
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO users (tenant_id, role, login_id_index, login_id_enc, display_name_enc,
                        email_enc, email_index, password_hash, created_at, updated_at)
     VALUES ($1, $2, $3, 'x', 'x', $4, $5, 'x', now(), now()) RETURNING id`,
    [
      tenantId,
      role,
      randomBytes(16).toString('hex'),
      options.emailEnc ?? null,
      options.emailEnc === undefined ? null : randomBytes(16).toString('hex'),
    ],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('no user');
  return id;
}

export async function insertAlbum(
  db: Db,
  studioTenantId: string,
  schoolTenantId: string,
  name = 'Album',
): Promise<string> {
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO albums (id, studio_tenant_id, school_tenant_id, document)
       VALUES ($1, $2, $3, $4::jsonb)`,
      [id, studioTenantId, schoolTenantId, JSON.stringify({ name })],
    );
    await tx.query('INSERT INTO album_change_counters (album_id) VALUES ($1)', [id]);
  });
  return id;
}

export async function count(q: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await q.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) s`, params);
  return Number(rows[0]?.n ?? 0);
}

/** Audit events of an action, oldest first. */
export async function auditOf(
  q: Queryable,
  action: string,
): Promise<{ tenant_id: string | null; details: Record<string, unknown> }[]> {
  const { rows } = await q.query<{ tenant_id: string | null; details: Record<string, unknown> }>(
    'SELECT tenant_id, details FROM audit_events WHERE action = $1 ORDER BY id',
    [action],
  );
  return rows;
}
