import { randomUUID } from 'node:crypto';
import { incidentNoticeDeadline } from '../../src-shared/retention/deadlines.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Db, Queryable } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { Actor } from '../users/userService.js';
import { bilingual, queueNotice, tenantAdminIds } from './noticeOutbox.js';

export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly detectedAt: Date;
  readonly recordedAt: Date;
  readonly notifiedAt: Date | null;
  /** P17: the end of the third business day after detection (JST). */
  readonly notifyBy: Date;
  readonly affectedTenantIds: readonly string[];
}

export interface Message {
  readonly subjectJa: string;
  readonly subjectEn: string;
  readonly bodyJa: string;
  readonly bodyEn: string;
}

/** The listed tenants (404 if any is unknown: an operator typo must not go unnoticed). */
async function targetTenants(q: Queryable, ids: readonly string[] | undefined): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM tenants WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY id`,
    [ids ?? null],
  );
  if (ids !== undefined && rows.length !== new Set(ids).size) {
    throw new ApiError(404, 'not_found', 'A listed tenant does not exist');
  }
  return rows.map((r) => r.id);
}

async function queueForAdmins(
  tx: Queryable,
  tenants: readonly string[],
  dedupKey: string,
  kind: string,
  message: Message,
  at: Date,
): Promise<number> {
  const content = {
    kind,
    subject: `【Weebum】${message.subjectJa} / ${message.subjectEn}`,
    body: bilingual(message.bodyJa, message.bodyEn),
  };
  let queued = 0;
  for (const tenantId of tenants) {
    const admins = await tenantAdminIds(tx, tenantId);
    queued += await queueNotice(tx, { tenantId, userIds: admins, dedupKey, content, at });
  }
  return queued;
}

/** Operator notices: change announcements (P9) and incident notifications (P17). */
export function createOperatorNoticeService(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;
  return {
    /** Queues the announcement to the admins of the listed tenants (all when none listed). */
    async announce(
      actor: Actor,
      input: { tenantIds?: readonly string[]; message: Message },
    ): Promise<{ id: string; tenants: number; queued: number }> {
      const at = now();
      const id = randomUUID();
      return db.transaction(async (tx) => {
        const tenants = await targetTenants(tx, input.tenantIds);
        const queued = await queueForAdmins(
          tx,
          tenants,
          `announcement:${id}`,
          'announcement',
          input.message,
          at,
        );
        await recordAudit(tx, {
          tenantId: null,
          actorId: actor.userId,
          action: 'notice.announce',
          outcome: 'success',
          targetType: 'announcement',
          targetId: id,
          ...(actor.sourceAddress === null ? {} : { sourceAddress: actor.sourceAddress }),
          details: { tenants: tenants.length, queued, allTenants: input.tenantIds === undefined },
          occurredAt: at,
        });
        return { id, tenants: tenants.length, queued };
      });
    },

    /**
     * Records an incident and queues its notification to the affected tenants' admins at once;
     * the notification time is kept next to the detection time so P17's target can be checked.
     */
    async recordIncident(
      actor: Actor,
      input: { title: string; detectedAt: Date; tenantIds: readonly string[]; message: Message },
    ): Promise<Incident & { queued: number }> {
      const at = now();
      if (input.detectedAt.getTime() > at.getTime()) {
        throw new ApiError(400, 'incident_detected_in_future', 'Detection time is in the future');
      }
      return db.transaction(async (tx) => {
        const tenants = await targetTenants(tx, input.tenantIds);
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO incidents (title, detected_at, recorded_at, notified_at,
                                  affected_tenant_ids, recorded_by)
           VALUES ($1, $2, $3, $3, $4::uuid[], $5) RETURNING id`,
          [input.title, input.detectedAt, at, tenants, actor.userId],
        );
        const id = rows[0]?.id;
        if (id === undefined) throw new Error('incident insert returned no row');
        const queued = await queueForAdmins(
          tx,
          tenants,
          `incident:${id}`,
          'incident',
          input.message,
          at,
        );
        const notifyBy = incidentNoticeDeadline(input.detectedAt);
        await recordAudit(tx, {
          tenantId: null,
          actorId: actor.userId,
          action: 'incident.record',
          outcome: 'success',
          targetType: 'incident',
          targetId: id,
          ...(actor.sourceAddress === null ? {} : { sourceAddress: actor.sourceAddress }),
          details: {
            tenants: tenants.length,
            queued,
            detectedAt: input.detectedAt.toISOString(),
            notifiedAt: at.toISOString(),
            withinTarget: at.getTime() <= notifyBy.getTime(),
          },
          occurredAt: at,
        });
        return {
          id,
          title: input.title,
          detectedAt: input.detectedAt,
          recordedAt: at,
          notifiedAt: at,
          notifyBy,
          affectedTenantIds: tenants,
          queued,
        };
      });
    },

    async listIncidents(): Promise<Incident[]> {
      const { rows } = await db.query<{
        id: string;
        title: string;
        detected_at: Date;
        recorded_at: Date;
        notified_at: Date | null;
        affected_tenant_ids: string[];
      }>(
        `SELECT id, title, detected_at, recorded_at, notified_at, affected_tenant_ids
           FROM incidents ORDER BY detected_at DESC, id LIMIT 200`,
      );
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        detectedAt: r.detected_at,
        recordedAt: r.recorded_at,
        notifiedAt: r.notified_at,
        notifyBy: incidentNoticeDeadline(r.detected_at),
        affectedTenantIds: r.affected_tenant_ids,
      }));
    },
  };
}
export type OperatorNoticeService = ReturnType<typeof createOperatorNoticeService>;
