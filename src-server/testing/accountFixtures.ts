import { expect } from 'vitest';
import { createPasswordTools } from '../auth/passwordTools.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import { keyringFrom } from '../crypto/keyring.js';
import { createUserService } from '../users/userService.js';
import type { TestResponse } from './httpsClient.js';
import { TEST_HASH_PARAMS, type TestServer } from './testServer.js';

/** A clock tests can move forward; the server reads it for every expiry and lock. */
export function movableClock(): { now: () => Date; advance: (ms: number) => void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

/**
 * A clock that stands still at the instant it was last set to: a test can then stand exactly
 * on a deadline (7 days − 1 s, 7 days) and write the dates it expects as literals.
 */
export function fixedClock(start: string): { now: () => Date; set: (instant: string) => void } {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    set: (instant) => void (current = new Date(instant)),
  };
}

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
}

export const errorCodeOf = (res: TestResponse): unknown =>
  (res.json as { error?: { code?: unknown } } | undefined)?.error?.code;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Calls an API route as the holder of `token`. */
export function as(server: TestServer, token: string) {
  return (path: string, method = 'GET', body?: unknown) =>
    server.request(path, {
      method,
      headers: bearer(token),
      ...(body === undefined ? {} : { body }),
    });
}

export async function signIn(
  server: TestServer,
  loginId: string,
  password: string,
): Promise<TestResponse> {
  return server.request('/v1/auth/sign-in', { method: 'POST', body: { loginId, password } });
}

/** Signs in with a temporary password and changes it; returns the normal session. */
export async function activate(
  server: TestServer,
  loginId: string,
  temporaryPassword: string,
  newPassword: string,
): Promise<Session> {
  const first = await signIn(server, loginId, temporaryPassword);
  expect(first.status).toBe(200);
  const temp = first.json as Session;
  const changed = await as(server, temp.accessToken)('/v1/me/password', 'POST', {
    currentPassword: temporaryPassword,
    newPassword,
  });
  expect(changed.status).toBe(200);
  return changed.json as Session;
}

/** The operator, made the way `weebum-server bootstrap` makes it, then activated. */
export async function bootstrapOperator(server: TestServer, now: () => Date): Promise<Session> {
  const users = createUserService({
    db: server.database.db,
    cipher: createFieldCipher(keyringFrom(server.keyringFile)),
    ...(await createPasswordTools(TEST_HASH_PARAMS)),
    now,
  });
  const issued = await users.bootstrapOperator({
    loginId: 'operator',
    displayName: 'Operator',
    email: null,
  });
  if (issued === undefined) throw new Error('operator exists');
  return activate(server, 'operator', issued.temporaryPassword, 'operator-password-2026');
}

export interface TenantWithAdmin {
  readonly tenantId: string;
  readonly adminId: string;
  readonly admin: Session;
}

/** A tenant and its activated admin, created through the operator's API. */
export async function tenantWithAdmin(
  server: TestServer,
  operator: Session,
  kind: 'studio' | 'school',
  adminLoginId: string,
): Promise<TenantWithAdmin> {
  const op = as(server, operator.accessToken);
  const tenant = await op('/v1/tenants', 'POST', {
    kind,
    name: `${kind} ${adminLoginId}`,
    contractStart: '2026-04-01T00:00:00+09:00',
  });
  expect(tenant.status).toBe(201);
  const tenantId = (tenant.json as { id: string }).id;
  const created = await op(`/v1/tenants/${tenantId}/admins`, 'POST', {
    loginId: adminLoginId,
    displayName: `Admin ${adminLoginId}`,
  });
  expect(created.status).toBe(201);
  const issued = created.json as { user: { id: string }; temporaryPassword: string };
  const admin = await activate(
    server,
    adminLoginId,
    issued.temporaryPassword,
    `${adminLoginId}-pass-2026`,
  );
  return { tenantId, adminId: issued.user.id, admin };
}

/** A user created by a tenant admin and activated with `password`. */
export async function createMember(
  server: TestServer,
  admin: Session,
  input: { loginId: string; displayName: string; role: string; email?: string },
  password = `${input.loginId}-pass-2026`,
): Promise<{ id: string; session: Session; password: string }> {
  const res = await as(server, admin.accessToken)('/v1/users', 'POST', input);
  expect(res.status).toBe(201);
  const issued = res.json as { user: { id: string }; temporaryPassword: string };
  const session = await activate(server, input.loginId, issued.temporaryPassword, password);
  return { id: issued.user.id, session, password };
}
