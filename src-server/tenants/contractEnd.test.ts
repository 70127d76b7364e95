import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  bootstrapOperator,
  errorCodeOf,
  movableClock,
  signIn,
  tenantWithAdmin,
  type Session,
  type TenantWithAdmin,
} from '../testing/accountFixtures.js';
import { createAlbumAs } from '../testing/albumFixtures.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

// Shorter than an access token lives (15 minutes), so sessions made before the end stay valid.
const STEP = 5 * 60_000;

describe.each(DIALECTS)('ended contracts and legal hold (%s)', (dialect) => {
  const clock = movableClock();
  let server: TestServer;
  let operator: Session;
  let studio: TenantWithAdmin;
  let school: TenantWithAdmin;
  let end: Date;

  beforeAll(async () => {
    server = await startTestServer({ dialect, now: clock.now });
    operator = await bootstrapOperator(server, clock.now);
    studio = await tenantWithAdmin(server, operator, 'studio', 'studio-admin');
    school = await tenantWithAdmin(server, operator, 'school', 'school-admin');
    end = new Date(clock.now().getTime() + STEP);
    const patched = await as(server, operator.accessToken)(
      `/v1/tenants/${studio.tenantId}`,
      'PATCH',
      { contractEnd: end.toISOString() },
    );
    expect(patched.status).toBe(200);
  });
  afterAll(() => server.close());

  it('P4: after the contract ends, writes answer 403 contract_ended; reads and sign-in work', async () => {
    const studioApi = as(server, studio.admin.accessToken);
    const albumId = await createAlbumAs(server, studio.admin.accessToken, school.tenantId);

    clock.advance(STEP);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(end.getTime());
    const refused = await studioApi('/v1/users', 'POST', {
      loginId: 'late-designer',
      displayName: '遅い 利用者',
      role: 'designer',
    });
    expect(refused.status).toBe(403);
    expect(errorCodeOf(refused)).toBe('contract_ended');
    const archive = await studioApi(`/v1/albums/${albumId}`, 'DELETE');
    expect(errorCodeOf(archive)).toBe('contract_ended');
    // Nothing was written.
    expect((await studioApi(`/v1/albums/${albumId}`)).status).toBe(200);
    expect((await studioApi('/v1/users')).status).toBe(200);
    const again = await signIn(server, 'studio-admin', 'studio-admin-pass-2026');
    expect(again.status).toBe(200);
    const { accessToken } = again.json as Session;
    expect(errorCodeOf(await as(server, accessToken)('/v1/albums', 'POST', {}))).toBe(
      'contract_ended',
    );
    // Another tenant whose contract runs on still writes.
    const schoolWrite = await as(server, school.admin.accessToken)('/v1/users', 'POST', {
      loginId: 'school-staff-1',
      displayName: '学校 職員',
      role: 'school_staff',
    });
    expect(schoolWrite.status).toBe(201);
    // ...but not into the album it shares with the ended studio: that album is read-only too.
    const schoolApi = as(server, school.admin.accessToken);
    const staffId = (schoolWrite.json as { user: { id: string } }).user.id;
    const shared = await schoolApi(`/v1/albums/${albumId}/members`, 'POST', { userId: staffId });
    expect([shared.status, errorCodeOf(shared)]).toEqual([403, 'contract_ended']);
    expect((await schoolApi(`/v1/albums/${albumId}`)).status).toBe(200);
    const members = (await schoolApi(`/v1/albums/${albumId}/members`)).json as {
      members: { userId: string }[];
    };
    expect(members.members.map((m) => m.userId)).not.toContain(staffId);
  });

  it('the operator sets and lifts a legal hold, audited; nobody else may', async () => {
    const op = as(server, operator.accessToken);
    const set = await op(`/v1/tenants/${studio.tenantId}/legal-hold`, 'PUT', { legalHold: true });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ id: studio.tenantId, legalHold: true });
    expect((await op(`/v1/tenants/${studio.tenantId}`)).json).toMatchObject({ legalHold: true });
    const denied = await as(server, school.admin.accessToken)(
      `/v1/tenants/${studio.tenantId}/legal-hold`,
      'PUT',
      { legalHold: false },
    );
    expect(denied.status).toBe(403);
    const { rows } = await server.database.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'tenant.legal_hold' AND tenant_id = $1`,
      [studio.tenantId],
    );
    expect(rows.map((r) => r.details)).toEqual([{ from: false, to: true }]);
    const unknown = await op('/v1/tenants/00000000-0000-4000-8000-000000000000/legal-hold', 'PUT', {
      legalHold: true,
    });
    expect(unknown.status).toBe(404);
  });
});
