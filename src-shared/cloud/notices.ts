import { z } from 'zod';
import { defineRoute } from './routeSpec.js';
import { Instant, displayText } from './schemas.js';

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

export const IncidentView = z.object({
  id: z.string(),
  title: z.string(),
  detectedAt: z.string(),
  recordedAt: z.string(),
  notifiedAt: z.string().nullable(),
  notifyBy: z.string(),
  withinTarget: z.boolean().nullable(),
  affectedTenantIds: z.array(z.string()),
});
export type IncidentView = z.output<typeof IncidentView>;

/** Operator only ('tenant.manage'): change announcements (P9) and incidents (P17). */
export const noticeApi = {
  announce: defineRoute({
    method: 'POST',
    path: '/v1/announcements',
    access: { action: 'tenant.manage' },
    summary: 'Announce a change by e-mail to the admins of all or the listed tenants (P9)',
    tags: ['notices'],
    status: 201,
    body: z.strictObject({ tenantIds: TenantIds.optional(), ...MessageBody }),
    reply: z.object({ id: z.string(), tenants: z.number(), queued: z.number() }),
  }),
  recordIncident: defineRoute({
    method: 'POST',
    path: '/v1/incidents',
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
  }),
  listIncidents: defineRoute({
    method: 'GET',
    path: '/v1/incidents',
    access: { action: 'tenant.manage' },
    summary: 'Recorded incidents with detection and notification times (P17)',
    tags: ['notices'],
    reply: z.object({ incidents: z.array(IncidentView) }),
  }),
};
