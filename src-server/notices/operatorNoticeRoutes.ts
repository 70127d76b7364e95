import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { Instant, displayText } from '../http/schemas.js';
import { actorOf } from '../users/userService.js';
import type { Incident, OperatorNoticeService } from './operatorNoticeService.js';

// Multi-line text: line breaks allowed, other control characters refused (as in displayText).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_BUT_LINE_BREAKS = /^[^\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]*$/;
const MessageText = z.string().min(1).max(10_000).regex(NO_CONTROL_BUT_LINE_BREAKS);

const MessageBody = {
  subjectJa: displayText(150),
  subjectEn: displayText(150),
  bodyJa: MessageText,
  bodyEn: MessageText,
};
const TenantIds = z.array(z.uuid()).min(1).max(10_000);

const IncidentView = z.object({
  id: z.string(),
  title: z.string(),
  detectedAt: z.string(),
  recordedAt: z.string(),
  notifiedAt: z.string().nullable(),
  notifyBy: z.string(),
  withinTarget: z.boolean().nullable(),
  affectedTenantIds: z.array(z.string()),
});

const toIncidentView = (i: Incident): z.output<typeof IncidentView> => ({
  id: i.id,
  title: i.title,
  detectedAt: i.detectedAt.toISOString(),
  recordedAt: i.recordedAt.toISOString(),
  notifiedAt: i.notifiedAt?.toISOString() ?? null,
  notifyBy: i.notifyBy.toISOString(),
  withinTarget: i.notifiedAt === null ? null : i.notifiedAt.getTime() <= i.notifyBy.getTime(),
  affectedTenantIds: [...i.affectedTenantIds],
});

/** Operator only ('tenant.manage'): change announcements (P9) and incidents (P17). */
export function registerOperatorNoticeRoutes(
  app: FastifyInstance,
  service: OperatorNoticeService,
): void {
  addRoute(app, {
    method: 'POST',
    url: '/v1/announcements',
    access: { action: 'tenant.manage' },
    summary: 'Announce a change by e-mail to the admins of all or the listed tenants (P9)',
    tags: ['notices'],
    status: 201,
    body: z.strictObject({ tenantIds: TenantIds.optional(), ...MessageBody }),
    reply: z.object({ id: z.string(), tenants: z.number(), queued: z.number() }),
    handler: async ({ body, request }) => {
      const { tenantIds, ...message } = body;
      return service.announce(actorOf(requireAuth(request), request.ip), {
        ...(tenantIds === undefined ? {} : { tenantIds }),
        message,
      });
    },
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/incidents',
    access: { action: 'tenant.manage' },
    summary: 'Record an incident and notify the affected tenants’ admins (P17)',
    tags: ['notices'],
    status: 201,
    body: z.strictObject({
      title: displayText(200),
      detectedAt: Instant,
      tenantIds: TenantIds,
      ...MessageBody,
    }),
    reply: IncidentView.extend({ queued: z.number() }),
    handler: async ({ body, request }) => {
      const { title, detectedAt, tenantIds, ...message } = body;
      const incident = await service.recordIncident(actorOf(requireAuth(request), request.ip), {
        title,
        detectedAt: new Date(detectedAt),
        tenantIds,
        message,
      });
      return { ...toIncidentView(incident), queued: incident.queued };
    },
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/incidents',
    access: { action: 'tenant.manage' },
    summary: 'Recorded incidents with detection and notification times (P17)',
    tags: ['notices'],
    reply: z.object({ incidents: z.array(IncidentView) }),
    handler: async () => ({
      incidents: (await service.listIncidents()).map(toIncidentView),
    }),
  });
}
