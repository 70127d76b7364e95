import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DISPLAY_ZONES, formatInstant } from '../../src-shared/time/formatInstant.js';
import type { Db } from '../db/db.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { listAuditEvents } from './auditLog.js';

const AuditEventView = z.object({
  id: z.string(),
  /** ISO 8601 in the requested zone: `Z` for UTC, `+09:00` for Asia/Tokyo (P12). */
  occurredAt: z.string(),
  tenantId: z.string().nullable(),
  actorId: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  sourceAddress: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/**
 * Tenant admins read their own tenant's events; the operator reads the platform's and its own
 * (listAuditEvents' operatorId). The scope comes from the session, never from the request, so no
 * parameter can widen the view (P15).
 */
export function registerAuditRoutes(app: FastifyInstance, deps: { db: Db }): void {
  addRoute(app, {
    method: 'GET',
    url: '/v1/audit-events',
    access: { action: 'audit.read' },
    summary: 'Security events, newest first, in UTC or JST',
    tags: ['audit'],
    querystring: z.strictObject({
      tz: z.enum(DISPLAY_ZONES).default('UTC'),
      before: z
        .string()
        .regex(/^[1-9][0-9]{0,18}$/)
        .optional(),
      // Fastify's validator turns the query string's text into a number (type: integer).
      limit: z.number().int().min(1).max(500).default(100),
    }),
    reply: z.object({ events: z.array(AuditEventView), nextBefore: z.string().nullable() }),
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
