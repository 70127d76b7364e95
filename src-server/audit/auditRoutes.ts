import type { FastifyInstance } from 'fastify';
import { auditApi } from '../../src-shared/cloud/audit.js';
import { formatInstant } from '../../src-shared/time/formatInstant.js';
import type { Db } from '../db/db.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { listAuditEvents } from './auditLog.js';

/**
 * Tenant admins read their own tenant's events; the operator reads the platform's and its own
 * (listAuditEvents' operatorId). The scope comes from the session, never from the request, so no
 * parameter can widen the view (P15).
 */
export function registerAuditRoutes(app: FastifyInstance, deps: { db: Db }): void {
  addRoute(app, auditApi.list, {
    handler: async ({ query, request }) => {
      const auth = requireAuth(request);
      const tz = query.tz ?? 'UTC';
      const limit = query.limit ?? 100;
      const events = await listAuditEvents(deps.db, {
        ...(auth.role === 'operator'
          ? { tenantId: null, operatorId: auth.userId }
          : { tenantId: auth.tenantId }),
        ...(query.before === undefined ? {} : { beforeId: query.before }),
        limit,
      });
      return {
        events: events.map((e) => ({ ...e, occurredAt: formatInstant(e.occurredAt, tz) })),
        nextBefore: events.length === limit ? (events.at(-1)?.id ?? null) : null,
      };
    },
  });
}
