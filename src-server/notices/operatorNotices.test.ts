import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentNoticeDeadline } from '../../src-shared/retention/deadlines.js';
import {
  as,
  bootstrapOperator,
  errorCodeOf,
  movableClock,
  tenantWithAdmin,
  type Session,
  type TenantWithAdmin,
} from '../testing/accountFixtures.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

const message = {
  subjectJa: 'メンテナンスのお知らせ',
  subjectEn: 'Scheduled maintenance',
  bodyJa: '12月1日にメンテナンスを行います。\n影響はありません。',
  bodyEn: 'Maintenance on 1 December.\nNo impact is expected.',
};

describe.each(DIALECTS)('operator announcements and incidents (%s)', (dialect) => {
  const clock = movableClock();
  let server: TestServer;
  let operator: Session;
  let a: TenantWithAdmin;
  let b: TenantWithAdmin;

  /** Gives the tenant admin an e-mail address through the API. */
  async function withEmail(t: TenantWithAdmin, email: string): Promise<void> {
    const res = await as(server, t.admin.accessToken)(`/v1/users/${t.adminId}`, 'PATCH', {
      email,
    });
    expect(res.status, res.text).toBe(200);
  }

  const outbox = async () =>
    (
      await server.database.db.query<{ tenant_id: string; kind: string; subject: string }>(
        'SELECT tenant_id, kind, subject FROM notices ORDER BY created_at, tenant_id',
      )
    ).rows;

  beforeAll(async () => {
    server = await startTestServer({ dialect, now: clock.now });
    operator = await bootstrapOperator(server, clock.now);
    a = await tenantWithAdmin(server, operator, 'studio', 'notice-a');
    b = await tenantWithAdmin(server, operator, 'school', 'notice-b');
    await withEmail(a, 'a-admin@example.jp');
    await withEmail(b, 'b-admin@example.jp');
  });
  afterAll(() => server.close());

  it('P9: an announcement goes to the admins of the listed tenants, or of all', async () => {
    const op = as(server, operator.accessToken);
    const some = await op('/v1/announcements', 'POST', { tenantIds: [b.tenantId], ...message });
    expect(some.status, some.text).toBe(201);
    expect(some.json).toMatchObject({ tenants: 1, queued: 1 });
    const all = await op('/v1/announcements', 'POST', message);
    expect(all.json).toMatchObject({ queued: 2 });
    const rows = await outbox();
    expect(rows.map((r) => r.tenant_id).sort()).toEqual(
      [a.tenantId, b.tenantId, b.tenantId].sort(),
    );
    expect(rows[0]?.subject).toBe('【Weebum】メンテナンスのお知らせ / Scheduled maintenance');
    const unknown = await op('/v1/announcements', 'POST', {
      tenantIds: ['00000000-0000-4000-8000-000000000000'],
      ...message,
    });
    expect(unknown.status).toBe(404);
    const audit = await server.database.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'notice.announce' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.details['queued'])).toEqual([1, 2]);
  });

  it('P17: an incident keeps detection and notification times and notifies at once', async () => {
    const op = as(server, operator.accessToken);
    const detectedAt = new Date(clock.now().getTime() - 3_600_000);
    const res = await op('/v1/incidents', 'POST', {
      title: '写真表示の不具合',
      detectedAt: detectedAt.toISOString(),
      tenantIds: [a.tenantId],
      ...message,
    });
    expect(res.status, res.text).toBe(201);
    const incident = res.json as Record<string, unknown>;
    expect(incident).toMatchObject({
      detectedAt: detectedAt.toISOString(),
      notifyBy: incidentNoticeDeadline(detectedAt).toISOString(),
      withinTarget: true,
      affectedTenantIds: [a.tenantId],
      queued: 1,
    });
    expect(incident['notifiedAt']).toBe(incident['recordedAt']);
    const rows = (await outbox()).filter((r) => r.kind === 'incident');
    expect(rows.map((r) => r.tenant_id)).toEqual([a.tenantId]);

    // Recorded late: the record says the target was missed.
    const late = await op('/v1/incidents', 'POST', {
      title: '古い障害',
      detectedAt: new Date(clock.now().getTime() - 10 * 86_400_000).toISOString(),
      tenantIds: [b.tenantId],
      ...message,
    });
    expect(late.json).toMatchObject({ withinTarget: false });
    const list = await op('/v1/incidents');
    expect((list.json as { incidents: unknown[] }).incidents).toHaveLength(2);

    const future = await op('/v1/incidents', 'POST', {
      title: '未来',
      detectedAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      tenantIds: [a.tenantId],
      ...message,
    });
    expect(errorCodeOf(future)).toBe('incident_detected_in_future');
    // Tenant admins may not use these routes.
    const denied = await as(server, a.admin.accessToken)('/v1/incidents');
    expect(denied.status).toBe(403);
  });
});
