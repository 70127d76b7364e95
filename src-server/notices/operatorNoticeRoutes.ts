import type { FastifyInstance } from 'fastify';
import { noticeApi, type IncidentView } from '../../src-shared/cloud/notices.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { actorOf } from '../users/userService.js';
import type { Incident, OperatorNoticeService } from './operatorNoticeService.js';

const toIncidentView = (i: Incident): IncidentView => ({
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
  addRoute(app, noticeApi.announce, {
    handler: async ({ body, request }) => {
      const { tenantIds, ...message } = body;
      return service.announce(actorOf(requireAuth(request), request.ip), {
        ...(tenantIds === undefined ? {} : { tenantIds }),
        message,
      });
    },
  });

  addRoute(app, noticeApi.recordIncident, {
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

  addRoute(app, noticeApi.listIncidents, {
    handler: async () => ({
      incidents: (await service.listIncidents()).map(toIncidentView),
    }),
  });
}
