import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  as,
  bearer,
  bootstrapOperator,
  createMember,
  errorCodeOf,
  movableClock,
  signIn,
  tenantWithAdmin,
  type Session,
  type TenantWithAdmin,
} from '../testing/accountFixtures.js';
import { createPasswordTools } from '../auth/passwordTools.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import { keyringFrom } from '../crypto/keyring.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, TEST_HASH_PARAMS, type TestServer } from '../testing/testServer.js';
import { createUserService } from './userService.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(DIALECTS)('accounts and sessions on %s', (dialect) => {
  let server: TestServer;
  const clock = movableClock();
  let operator: Session;
  let studio: TenantWithAdmin;
  let school: TenantWithAdmin;

  beforeAll(async () => {
    server = await startTestServer({ dialect, now: clock.now });
    operator = await bootstrapOperator(server, clock.now);
    studio = await tenantWithAdmin(server, operator, 'studio', 'studio-admin@example.jp');
    school = await tenantWithAdmin(server, operator, 'school', 'school-admin');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs the temporary-password flow end to end', async () => {
    const op = as(server, operator.accessToken);
    const tenant = await op('/v1/tenants', 'POST', {
      kind: 'studio',
      name: 'フォトスタジオ桜',
      contractStart: '2026-04-01T00:00:00+09:00',
      contractEnd: '2027-03-31T23:59:59+09:00',
    });
    expect(tenant.status).toBe(201);
    const tenantId = (tenant.json as { id: string }).id;
    const created = await op(`/v1/tenants/${tenantId}/admins`, 'POST', {
      loginId: 'sakura-admin',
      displayName: '桜 太郎',
      email: 'taro@sakura.example.jp',
    });
    expect(created.status).toBe(201);
    const issued = created.json as {
      user: { role: string; passwordChangeRequired: boolean; tenantId: string };
      temporaryPassword: string;
      temporaryPasswordExpiresAt: string;
    };
    expect(issued.user).toMatchObject({
      role: 'studio_admin',
      passwordChangeRequired: true,
      tenantId,
    });
    expect(issued.temporaryPassword).toMatch(/^[A-Za-z2-9]{20}$/);
    expect(
      new Date(issued.temporaryPasswordExpiresAt).getTime() - clock.now().getTime(),
    ).toBeGreaterThan(7 * DAY - MINUTE);

    const first = await signIn(server, 'sakura-admin', issued.temporaryPassword);
    expect(first.status).toBe(200);
    const temp = first.json as Session & { user: { passwordChangeRequired: boolean } };
    expect(temp.user.passwordChangeRequired).toBe(true);
    expect(temp.accessToken).toMatch(/^wat_[A-Za-z0-9_-]{43}$/);
    expect(temp.refreshToken).toMatch(/^wrt_[A-Za-z0-9_-]{43}$/);

    const call = as(server, temp.accessToken);
    for (const [path, method, body] of [
      ['/v1/me', 'GET', undefined],
      ['/v1/users', 'GET', undefined],
      ['/v1/users', 'POST', { loginId: 'x', displayName: 'x', role: 'designer' }],
      ['/v1/tenants', 'GET', undefined],
    ] as const) {
      const res = await call(path, method, body);
      expect([path, res.status, errorCodeOf(res)]).toEqual([path, 403, 'password_change_required']);
    }
    // Refreshing keeps the restriction.
    const refreshed = await server.request('/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: temp.refreshToken },
    });
    const tempAgain = refreshed.json as Session;
    expect(errorCodeOf(await as(server, tempAgain.accessToken)('/v1/me'))).toBe(
      'password_change_required',
    );

    const weak = await as(server, tempAgain.accessToken)('/v1/me/password', 'POST', {
      currentPassword: issued.temporaryPassword,
      newPassword: 'password',
    });
    expect([weak.status, errorCodeOf(weak)]).toEqual([400, 'password_too_common']);

    const changed = await as(server, tempAgain.accessToken)('/v1/me/password', 'POST', {
      currentPassword: issued.temporaryPassword,
      newPassword: '桜の季節に卒業アルバム',
    });
    expect(changed.status).toBe(200);
    const normal = changed.json as Session;
    // The temporary session is over; the new one works.
    expect((await as(server, tempAgain.accessToken)('/v1/me')).status).toBe(401);
    const me = await as(server, normal.accessToken)('/v1/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      loginId: 'sakura-admin',
      displayName: '桜 太郎',
      email: 'taro@sakura.example.jp',
      passwordChangeRequired: false,
    });

    const designer = await as(server, normal.accessToken)('/v1/users', 'POST', {
      loginId: 'designer-hanako',
      displayName: '山田 花子',
      role: 'designer',
    });
    expect(designer.status).toBe(201);
    expect((designer.json as { user: { role: string } }).user.role).toBe('designer');
    // The temporary password works once more only until it is changed.
    expect((await signIn(server, 'sakura-admin', issued.temporaryPassword)).status).toBe(401);
  });

  it('refuses roles of the other tenant kind and duplicate login ids', async () => {
    const admin = as(server, studio.admin.accessToken);
    const wrongKind = await admin('/v1/users', 'POST', {
      loginId: 'staff-1',
      displayName: 'x',
      role: 'school_staff',
    });
    expect([wrongKind.status, errorCodeOf(wrongKind)]).toEqual([400, 'role_not_allowed']);
    const operatorRole = await admin('/v1/users', 'POST', {
      loginId: 'op-2',
      displayName: 'x',
      role: 'operator',
    });
    expect(errorCodeOf(operatorRole)).toBe('role_not_allowed');
    // Login ids compare after NFKC and case folding: full-width and upper case are the same id.
    const duplicate = await admin('/v1/users', 'POST', {
      loginId: 'ＳＣＨＯＯＬ-ADMIN',
      displayName: 'x',
      role: 'designer',
    });
    expect([duplicate.status, errorCodeOf(duplicate)]).toEqual([409, 'login_id_taken']);
  });

  it('expires temporary passwords after 7 days, telling so only after the password matched', async () => {
    const res = await as(server, studio.admin.accessToken)('/v1/users', 'POST', {
      loginId: 'late-starter',
      displayName: '遅刻 太郎',
      role: 'designer',
    });
    const { temporaryPassword } = res.json as { temporaryPassword: string };
    clock.advance(7 * DAY + 1000);
    try {
      const wrong = await signIn(server, 'late-starter', 'not-the-password');
      expect(errorCodeOf(wrong)).toBe('invalid_credentials');
      const expired = await signIn(server, 'late-starter', temporaryPassword);
      expect([expired.status, errorCodeOf(expired)]).toEqual([401, 'temporary_password_expired']);
    } finally {
      clock.advance(-(7 * DAY + 1000));
    }
    // A reset gives a fresh 7 days.
    const userId = (res.json as { user: { id: string } }).user.id;
    const reset = await as(server, studio.admin.accessToken)(
      `/v1/users/${userId}/reset-password`,
      'POST',
    );
    expect(reset.status).toBe(200);
    const fresh = (reset.json as { temporaryPassword: string }).temporaryPassword;
    expect(fresh).not.toBe(temporaryPassword);
    expect((await signIn(server, 'late-starter', temporaryPassword)).status).toBe(401);
    expect((await signIn(server, 'late-starter', fresh)).status).toBe(200);
  });

  it("lets the operator reset a tenant's admin, and no other user of the tenant", async () => {
    const op = as(server, operator.accessToken);
    const made = await op(`/v1/tenants/${school.tenantId}/admins`, 'POST', {
      loginId: 'locked-out-admin',
      displayName: '締出 花子',
    });
    const admin = await activate(
      server,
      'locked-out-admin',
      (made.json as { temporaryPassword: string }).temporaryPassword,
      'forgotten-password-2026',
    );
    const adminId = (made.json as { user: { id: string } }).user.id;

    const reset = await op(
      `/v1/tenants/${school.tenantId}/admins/${adminId}/reset-password`,
      'POST',
    );
    expect(reset.status).toBe(200);
    const { temporaryPassword } = reset.json as { temporaryPassword: string };
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);
    expect((await as(server, admin.accessToken)('/v1/me')).status).toBe(401);
    const signedIn = await signIn(server, 'locked-out-admin', temporaryPassword);
    expect(signedIn.json).toMatchObject({ user: { passwordChangeRequired: true } });
    const events = await as(server, school.admin.accessToken)('/v1/audit-events?limit=50');
    expect(
      (events.json as { events: { action: string; targetId: string }[] }).events.filter(
        (e) => e.action === 'auth.password_reset' && e.targetId === adminId,
      ),
    ).toHaveLength(1);

    // A tenant's other users, and an admin named under another tenant, are not the operator's.
    const staff = await createMember(server, school.admin, {
      loginId: 'not-for-operator',
      displayName: 'x',
      role: 'school_staff',
    });
    for (const path of [
      `/v1/tenants/${school.tenantId}/admins/${staff.id}/reset-password`,
      `/v1/tenants/${studio.tenantId}/admins/${adminId}/reset-password`,
    ]) {
      const refused = await op(path, 'POST');
      expect([refused.status, errorCodeOf(refused)]).toEqual([404, 'not_found']);
    }
    expect((await as(server, staff.session.accessToken)('/v1/me')).status).toBe(200);
  });

  it('throttles per login id, identically for unknown accounts', async () => {
    const member = await createMember(server, studio.admin, {
      loginId: 'throttled',
      displayName: 'x',
      role: 'designer',
    });
    const observe = async (loginId: string, password: string) => {
      const res = await signIn(server, loginId, password);
      return [res.status, errorCodeOf(res), res.headers['retry-after'] ?? null];
    };
    for (const loginId of ['throttled', 'nobody-has-this-id']) {
      const seen = [];
      for (let i = 0; i < 6; i++) seen.push(await observe(loginId, `wrong-${i}`));
      expect(seen).toEqual([
        ...Array.from({ length: 5 }, () => [401, 'invalid_credentials', null]),
        [429, 'account_locked', '1'],
      ]);
    }
    // Even the right password waits for the lock to end.
    expect(await observe('throttled', member.password)).toEqual([429, 'account_locked', '1']);
    clock.advance(1500);
    expect(await observe('throttled', 'wrong-again')).toEqual([401, 'invalid_credentials', null]);
    // The 6th consecutive failure locks for 2 s, and so on.
    expect(await observe('throttled', member.password)).toEqual([429, 'account_locked', '2']);
    clock.advance(2500);
    expect((await signIn(server, 'throttled', member.password)).status).toBe(200);
    // A success clears the count.
    expect(await observe('throttled', 'wrong')).toEqual([401, 'invalid_credentials', null]);

    const { rows } = await server.database.db.query<{
      action: string;
      details: { reason: string };
    }>(
      `SELECT action, details FROM audit_events
        WHERE action = 'auth.sign_in' AND outcome = 'failure' AND actor_id IS NULL`,
    );
    expect(rows.map((r) => r.details.reason)).toContain('unknown_account');
    expect(rows.map((r) => r.details.reason)).toContain('account_locked');
  });

  it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
    const member = await createMember(server, studio.admin, {
      loginId: 'rotator',
      displayName: 'x',
      role: 'designer',
    });
    const first = member.session;
    const refresh = (token: string) =>
      server.request('/v1/auth/refresh', { method: 'POST', body: { refreshToken: token } });
    const second = (await refresh(first.refreshToken)).json as Session;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await as(server, first.accessToken)('/v1/me')).status).toBe(401);
    expect((await as(server, second.accessToken)('/v1/me')).status).toBe(200);
    const third = (await refresh(second.refreshToken)).json as Session;

    const reuse = await refresh(first.refreshToken);
    expect([reuse.status, errorCodeOf(reuse)]).toEqual([401, 'unauthenticated']);
    // The whole family is gone, including the newest pair.
    expect((await as(server, third.accessToken)('/v1/me')).status).toBe(401);
    expect((await refresh(third.refreshToken)).status).toBe(401);
    const { rows } = await server.database.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'auth.refresh_reuse' AND actor_id = $1`,
      [member.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('expires access tokens after 15 minutes and refresh families after 30 days', async () => {
    const member = await createMember(server, studio.admin, {
      loginId: 'sleepy',
      displayName: 'x',
      role: 'designer',
    });
    clock.advance(15 * MINUTE + 1000);
    const expired = await as(server, member.session.accessToken)('/v1/me');
    expect([expired.status, errorCodeOf(expired)]).toEqual([401, 'session_expired']);
    const renewed = await server.request('/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: member.session.refreshToken },
    });
    expect(renewed.status).toBe(200);
    const pair = renewed.json as Session & { refreshExpiresAt: string };
    clock.advance(30 * DAY);
    const late = await server.request('/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: pair.refreshToken },
    });
    clock.advance(-(30 * DAY + 15 * MINUTE + 1000));
    expect([late.status, errorCodeOf(late)]).toEqual([401, 'session_expired']);
  });

  it('signs out: the family ends', async () => {
    const member = await createMember(server, studio.admin, {
      loginId: 'leaver',
      displayName: 'x',
      role: 'designer',
    });
    const out = await as(server, member.session.accessToken)('/v1/auth/sign-out', 'POST');
    expect(out.status).toBe(200);
    expect((await as(server, member.session.accessToken)('/v1/me')).status).toBe(401);
    const refresh = await server.request('/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: member.session.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it.each([
    ['disable', 'PATCH', { disabled: true }],
    ['role change', 'PATCH', { role: 'studio_admin' }],
    ['delete', 'DELETE', undefined],
    ['password reset', 'POST', undefined],
  ] as const)('ends sessions issued before a %s', async (what, method, body) => {
    const loginId = `victim-${what.replace(' ', '-')}`;
    const member = await createMember(server, studio.admin, {
      loginId,
      displayName: 'x',
      role: 'designer',
    });
    const before = as(server, member.session.accessToken);
    expect((await before('/v1/me')).status).toBe(200);
    const path =
      what === 'password reset'
        ? `/v1/users/${member.id}/reset-password`
        : `/v1/users/${member.id}`;
    const change = await as(server, studio.admin.accessToken)(path, method, body);
    expect(change.status).toBe(200);
    const after = await before('/v1/me');
    expect([after.status, errorCodeOf(after)]).toEqual([401, 'unauthenticated']);
    const refresh = await server.request('/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: member.session.refreshToken },
    });
    expect(refresh.status).toBe(401);
    if (what === 'disable' || what === 'delete') {
      const again = await signIn(server, loginId, member.password);
      expect([again.status, errorCodeOf(again)]).toEqual([401, 'invalid_credentials']);
    }
  });

  it('keeps admins from disabling, deleting, demoting or resetting themselves', async () => {
    const admin = as(server, school.admin.accessToken);
    const self = `/v1/users/${school.adminId}`;
    for (const [path, method, body] of [
      [self, 'PATCH', { disabled: true }],
      [self, 'PATCH', { role: 'school_staff' }],
      [self, 'DELETE', undefined],
      [`${self}/reset-password`, 'POST', undefined],
    ] as const) {
      const res = await admin(path, method, body);
      expect([res.status, errorCodeOf(res)]).toEqual([400, 'cannot_modify_self']);
    }
    const rename = await admin(self, 'PATCH', { displayName: '校長 先生' });
    expect(rename.status).toBe(200);
  });

  it("answers another tenant's users exactly like missing ones", async () => {
    const target = await createMember(server, school.admin, {
      loginId: 'school-staff-1',
      displayName: '生徒 担当',
      role: 'school_staff',
    });
    const missing = '00000000-0000-4000-8000-000000000000';
    const studioAdmin = as(server, studio.admin.accessToken);
    for (const [suffix, method, body] of [
      ['', 'GET', undefined],
      ['', 'PATCH', { disabled: true }],
      ['', 'DELETE', undefined],
      ['/reset-password', 'POST', undefined],
    ] as const) {
      const other = await studioAdmin(`/v1/users/${target.id}${suffix}`, method, body);
      const none = await studioAdmin(`/v1/users/${missing}${suffix}`, method, body);
      expect([other.status, other.json]).toEqual([404, none.json]);
      expect(none.status).toBe(404);
    }
    const list = await studioAdmin('/v1/users');
    const ids = (list.json as { users: { id: string }[] }).users.map((u) => u.id);
    expect(ids).not.toContain(target.id);
    // The target is untouched.
    expect((await as(server, target.session.accessToken)('/v1/me')).status).toBe(200);
  });

  it('refuses roles without the action (403, audited) and the operator inside tenants', async () => {
    const designer = await createMember(server, studio.admin, {
      loginId: 'designer-2',
      displayName: 'x',
      role: 'designer',
    });
    const d = as(server, designer.session.accessToken);
    expect((await d('/v1/users')).status).toBe(200);
    const create = await d('/v1/users', 'POST', {
      loginId: 'y',
      displayName: 'y',
      role: 'designer',
    });
    expect([create.status, errorCodeOf(create)]).toEqual([403, 'forbidden']);
    expect(errorCodeOf(await d('/v1/tenants'))).toBe('forbidden');
    expect(errorCodeOf(await as(server, operator.accessToken)('/v1/users'))).toBe('forbidden');
    const { rows } = await server.database.db.query<{ target_id: string }>(
      `SELECT target_id FROM audit_events WHERE action = 'access.denied' AND actor_id = $1`,
      [designer.id],
    );
    expect(rows.map((r) => r.target_id)).toEqual(['POST /v1/users', 'GET /v1/tenants']);
  });

  it('erases personal data on delete and frees the login id', async () => {
    const member = await createMember(server, studio.admin, {
      loginId: 'to-delete',
      displayName: '削除 予定',
      role: 'designer',
      email: 'del@example.jp',
    });
    const del = await as(server, studio.admin.accessToken)(`/v1/users/${member.id}`, 'DELETE');
    expect(del.status).toBe(200);
    const { rows } = await server.database.db.query(
      `SELECT login_id_index, login_id_enc, display_name_enc, email_enc, email_index, password_hash
         FROM users WHERE id = $1`,
      [member.id],
    );
    expect(Object.values(rows[0] ?? {})).toEqual([null, null, null, null, null, null]);
    const reuse = await as(server, studio.admin.accessToken)('/v1/users', 'POST', {
      loginId: 'to-delete',
      displayName: 'x',
      role: 'designer',
    });
    expect(reuse.status).toBe(201);
  });

  it('takes odd but valid input and refuses bad input with clear codes', async () => {
    const admin = as(server, studio.admin.accessToken);
    const sqlish = `o'brien"; DROP TABLE users; --`;
    const odd = await createMember(
      server,
      studio.admin,
      { loginId: sqlish, displayName: "ロバート'); DROP TABLE students;--", role: 'designer' },
      'パスワードは日本語でも良い🌸',
    );
    expect((await signIn(server, sqlish, 'パスワードは日本語でも良い🌸')).status).toBe(200);
    expect((await as(server, odd.session.accessToken)('/v1/me')).json).toMatchObject({
      loginId: sqlish,
    });

    const tooLong = await as(server, odd.session.accessToken)('/v1/me/password', 'POST', {
      currentPassword: 'パスワードは日本語でも良い🌸',
      newPassword: 'あ'.repeat(129),
    });
    expect([tooLong.status, errorCodeOf(tooLong)]).toEqual([400, 'password_too_long']);
    const tooShort = await as(server, odd.session.accessToken)('/v1/me/password', 'POST', {
      currentPassword: 'パスワードは日本語でも良い🌸',
      newPassword: 'あいう',
    });
    expect(errorCodeOf(tooShort)).toBe('password_too_short');
    const wrongCurrent = await as(server, odd.session.accessToken)('/v1/me/password', 'POST', {
      currentPassword: 'not it',
      newPassword: 'a-perfectly-fine-one',
    });
    expect([wrongCurrent.status, errorCodeOf(wrongCurrent)]).toEqual([
      403,
      'current_password_incorrect',
    ]);

    const huge = await signIn(server, 'x', 'p'.repeat(100_000));
    expect([huge.status, errorCodeOf(huge)]).toEqual([400, 'validation_failed']);
    const longName = await admin('/v1/users', 'POST', {
      loginId: 'long-name',
      displayName: '長'.repeat(201),
      role: 'designer',
    });
    expect(errorCodeOf(longName)).toBe('validation_failed');
    const control = await admin('/v1/users', 'POST', {
      loginId: 'bell\u0007',
      displayName: 'x',
      role: 'designer',
    });
    expect(errorCodeOf(control)).toBe('validation_failed');
    const unknownField = await admin('/v1/users', 'POST', {
      loginId: 'u',
      displayName: 'x',
      role: 'designer',
      tenantId: school.tenantId,
    });
    expect(unknownField.json).toMatchObject({
      error: { code: 'validation_failed', path: ['body', 'tenantId'] },
    });
    const badSignIn = await server.request('/v1/auth/sign-in', {
      method: 'POST',
      body: { loginId: 'x', password: 'y', remember: true },
    });
    expect(errorCodeOf(badSignIn)).toBe('validation_failed');
    const badId = await admin('/v1/users/not-a-uuid');
    expect(errorCodeOf(badId)).toBe('validation_failed');
  });

  it('refuses missing, forged, malformed and URL tokens', async () => {
    const forged = `wat_${'A'.repeat(43)}`;
    for (const headers of [
      {},
      bearer(forged),
      bearer(studio.admin.refreshToken),
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { authorization: `Bearer ${studio.admin.accessToken}x` },
      { authorization: studio.admin.accessToken },
    ]) {
      const res = await server.request('/v1/me', { headers });
      expect([res.status, errorCodeOf(res)]).toEqual([401, 'unauthenticated']);
    }
    const inUrl = await server.request(`/v1/me?access_token=${studio.admin.accessToken}`);
    expect(inUrl.status).toBe(401);
    const forgedRefresh = await server.request('/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: `wrt_${'B'.repeat(43)}` },
    });
    expect([forgedRefresh.status, errorCodeOf(forgedRefresh)]).toEqual([401, 'unauthenticated']);
    // Unknown routes answer 404 before any token check.
    expect((await server.request('/v1/nothing', { headers: bearer(forged) })).status).toBe(404);
  });

  it('lets the operator manage tenants and audits contract changes', async () => {
    const op = as(server, operator.accessToken);
    const list = await op('/v1/tenants');
    const ids = (list.json as { tenants: { id: string }[] }).tenants.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining([studio.tenantId, school.tenantId]));
    const patched = await op(`/v1/tenants/${school.tenantId}`, 'PATCH', {
      contractEnd: '2027-03-31T15:00:00Z',
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ contractEnd: '2027-03-31T15:00:00.000Z' });
    const backwards = await op(`/v1/tenants/${school.tenantId}`, 'PATCH', {
      contractEnd: '2020-01-01T00:00:00Z',
    });
    expect([backwards.status, errorCodeOf(backwards)]).toEqual([400, 'contract_dates_invalid']);
    const missing = await op('/v1/tenants/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const { rows } = await server.database.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'tenant.contract_change' AND tenant_id = $1`,
      [school.tenantId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toMatchObject({ endFrom: null, endTo: '2027-03-31T15:00:00.000Z' });
  });

  it('rehashes a password made with older argon2 parameters on sign-in', async () => {
    // An account hashed with other (here: different) parameters than the server's hasher.
    const older = createUserService({
      db: server.database.db,
      cipher: createFieldCipher(keyringFrom(server.keyringFile)),
      ...(await createPasswordTools({ ...TEST_HASH_PARAMS, memoryCost: 2048 })),
      now: clock.now,
    });
    const issued = await older.createTenantAdmin(
      { userId: null, tenantId: null, sourceAddress: null },
      studio.tenantId,
      { loginId: 'old-hash', displayName: 'x', email: null },
    );
    const stored = async () =>
      (
        await server.database.db.query<{ password_hash: string }>(
          `SELECT password_hash FROM users WHERE id = $1`,
          [issued.user.id],
        )
      ).rows[0]?.password_hash;
    expect(await stored()).toContain('m=2048');
    expect((await signIn(server, 'old-hash', issued.temporaryPassword)).status).toBe(200);
    expect(await stored()).toContain('m=1024');
  });
});
