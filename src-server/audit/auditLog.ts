import type { Queryable } from '../db/db.js';

/**
 * Security-relevant events (P12). Names are stable: the audit view, exports and alerts key on
 * them. Add new ones here; never rename.
 */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_out',
  'auth.refresh_reuse',
  'auth.password_change',
  'auth.password_reset',
  'auth.session_revoked',
  'auth.locked',
  'access.denied',
  'tenant.create',
  'tenant.update',
  'tenant.contract_change',
  'user.create',
  'user.update',
  'user.role_change',
  'user.disable',
  'user.enable',
  'user.delete',
  'keys.rotate',
  'album.create',
  'album.update',
  'album.archive',
  'album.unarchive',
  'album.delete',
  'album.member_add',
  'album.member_remove',
  'tenant.legal_hold',
  // Deletions by retention jobs: what kind, how many, which ids, and why (P4, P11, P13).
  'retention.photos_expired',
  'retention.album_purged',
  'retention.tenant_purged',
  'retention.access_log_purged',
  'retention.stale_uploads_removed',
  'notice.announce',
  'incident.record',
  'album.export',
  'backup.create',
  'backup.delete',
  'backup.restore',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Plain values only, and never a password, token or personal data in clear. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditEvent {
  readonly tenantId: string | null;
  readonly actorId: string | null;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly sourceAddress?: string;
  readonly details?: AuditDetails;
  /** Defaults to the database's now(); tests and jobs with a moved clock pass it. */
  readonly occurredAt?: Date;
}

/** Writes one audit event; pass the transaction `tx` so the event commits with the change. */
export async function recordAudit(q: Queryable, event: AuditEvent): Promise<void> {
  await q.query(
    `INSERT INTO audit_events
       (occurred_at, tenant_id, actor_id, action, outcome, target_type, target_id,
        source_address, details)
     VALUES (coalesce($1::timestamptz, now()), $2, $3, $4, $5, $6, $7, $8::inet, $9::jsonb)`,
    [
      event.occurredAt ?? null,
      event.tenantId,
      event.actorId,
      event.action,
      event.outcome,
      event.targetType ?? null,
      event.targetId ?? null,
      event.sourceAddress ?? null,
      JSON.stringify(event.details ?? {}),
    ],
  );
}

export interface StoredAuditEvent {
  readonly id: string;
  readonly occurredAt: Date;
  readonly tenantId: string | null;
  readonly actorId: string | null;
  readonly action: string;
  readonly outcome: AuditOutcome;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly sourceAddress: string | null;
  readonly details: AuditDetails;
}

/**
 * Newest first, paged by id. `tenantId: null` lists every tenant (operator only: the caller
 * checks that); a tenant id lists only that tenant's events.
 */
export async function listAuditEvents(
  q: Queryable,
  filter: {
    /** One tenant's events; null for no tenant filter (backups, tests, and the operator below). */
    tenantId: string | null;
    /**
     * The operator's view: the platform's own events (no tenant: tenant creation, operator
     * sign-ins, unknown-account failures) and what this operator did inside tenants, never a
     * tenant's own activity (threat model: operator overreach, P15).
     */
    operatorId?: string;
    beforeId?: string;
    limit: number;
  },
): Promise<StoredAuditEvent[]> {
  const { rows } = await q.query<{
    id: string;
    occurred_at: Date;
    tenant_id: string | null;
    actor_id: string | null;
    action: string;
    outcome: AuditOutcome;
    target_type: string | null;
    target_id: string | null;
    source_address: string | null;
    details: AuditDetails;
  }>(
    `SELECT id, occurred_at, tenant_id, actor_id, action, outcome, target_type, target_id,
            host(source_address) AS source_address, details
       FROM audit_events
      WHERE ($1::uuid IS NULL OR tenant_id = $1::uuid)
        AND ($4::uuid IS NULL OR tenant_id IS NULL OR actor_id = $4::uuid)
        AND ($2::bigint IS NULL OR id < $2::bigint)
      ORDER BY id DESC
      LIMIT $3`,
    [filter.tenantId, filter.beforeId ?? null, filter.limit, filter.operatorId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    tenantId: r.tenant_id,
    actorId: r.actor_id,
    action: r.action,
    outcome: r.outcome,
    targetType: r.target_type,
    targetId: r.target_id,
    sourceAddress: r.source_address,
    details: r.details,
  }));
}
