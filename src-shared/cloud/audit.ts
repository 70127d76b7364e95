import { z } from 'zod';
import { DISPLAY_ZONES } from '../time/formatInstant.js';
import { defineRoute } from './routeSpec.js';

export const AuditEventView = z.object({
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
export type AuditEventView = z.output<typeof AuditEventView>;

/**
 * Tenant admins read their own tenant's events; the operator reads every tenant's. The tenant
 * comes from the session, never from the request, so no parameter can widen the view (P15).
 */
export const auditApi = {
  list: defineRoute({
    method: 'GET',
    path: '/v1/audit-events',
    access: { action: 'audit.read' },
    summary: 'Security events, newest first, in UTC or JST',
    tags: ['audit'],
    query: z.strictObject({
      tz: z.enum(DISPLAY_ZONES).default('UTC'),
      // At most 18 digits: every such id fits the bigint column (19 digits may not).
      before: z
        .string()
        .regex(/^[1-9][0-9]{0,17}$/)
        .optional(),
      // Fastify's validator turns the query string's text into a number (type: integer).
      limit: z.number().int().min(1).max(500).default(100),
    }),
    reply: z.object({ events: z.array(AuditEventView), nextBefore: z.string().nullable() }),
  }),
};
