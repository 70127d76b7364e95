import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Action, type Role } from '../src-shared/auth/roles.js';
import type { RouteTableEntry } from './http/routeAccess.js';
import {
  as,
  bootstrapOperator,
  createMember,
  errorCodeOf,
  movableClock,
  signIn,
  tenantWithAdmin,
  type Session,
} from './testing/accountFixtures.js';
import { DIALECTS } from './testing/testDatabase.js';
import { startTestServer, type TestServer } from './testing/testServer.js';

/**
 * P5, P15: every route the running server has, called as nobody, as each role of the tenant
 * that owns the objects, as each role of two other tenants, and as the operator. The expected
 * status follows from the roles table and object ownership alone; a route that this file does
 * not know how to call fails the test, so no new route escapes the matrix.
 */

interface Caller {
  readonly name: string;
  readonly role: Role | null;
  /** null for the operator and for nobody. */
  readonly tenant: 'A' | 'B' | 'C' | null;
  readonly loginId: string;
  readonly password: string;
  session: Session | null;
}

interface World {
  readonly server: TestServer;
  readonly tenantIds: Record<'A' | 'B' | 'C', string>;
  readonly admins: Record<'A' | 'B' | 'C', Session>;
  readonly refreshTokens: string[];
}

interface SpecRequest {
  readonly path: string;
  readonly body?: unknown;
  readonly token?: string;
}

interface RouteSpec {
  /** Which tenant owns the object the path names; null: the route names no tenant's object. */
  readonly owner: 'A' | null;
  /** Path parameters and body for this caller; may create a fresh object to act on. */
  readonly request: (world: World, caller: Caller) => SpecRequest | Promise<SpecRequest>;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${randomUUID().slice(0, 8)}`;

/** A fresh designer of tenant A, so destructive calls never hit an object others still need. */
async function victimInA(world: World): Promise<string> {
  const res = await as(world.server, world.admins.A.accessToken)('/v1/users', 'POST', {
    loginId: unique('victim'),
    displayName: '山田 花子',
    role: 'designer',
  });
  expect(res.status).toBe(201);
  return (res.json as { user: { id: string } }).user.id;
}

const creatableRole = (caller: Caller): Role =>
  caller.tenant === 'C' ? 'school_staff' : 'designer';

const SPECS: Record<string, RouteSpec> = {
  'GET /healthz': { owner: null, request: () => ({ path: '/healthz' }) },
  'GET /readyz': { owner: null, request: () => ({ path: '/readyz' }) },
  'GET /v1/about': { owner: null, request: () => ({ path: '/v1/about' }) },
  'GET /v1/openapi.json': { owner: null, request: () => ({ path: '/v1/openapi.json' }) },
  'POST /v1/auth/sign-in': {
    owner: null,
    request: () => ({
      path: '/v1/auth/sign-in',
      body: { loginId: 'matrix-a-designer', password: 'matrix-a-designer-pass-2026' },
    }),
  },
  'POST /v1/auth/refresh': {
    owner: null,
    request: (world) => ({
      path: '/v1/auth/refresh',
      body: { refreshToken: world.refreshTokens.pop() },
    }),
  },
  'POST /v1/auth/sign-out': {
    owner: null,
    // Signing out ends the session: use a fresh one so the caller's own stays usable.
    request: async (world, caller) => {
      const fresh = await signIn(world.server, caller.loginId, caller.password);
      return { path: '/v1/auth/sign-out', token: (fresh.json as Session).accessToken };
    },
  },
  'GET /v1/me': { owner: null, request: () => ({ path: '/v1/me' }) },
  'POST /v1/me/password': {
    owner: null,
    // Reaching the handler is enough: an unchanged password is refused there, with no effect.
    request: (_world, caller) => ({
      path: '/v1/me/password',
      body: { currentPassword: caller.password, newPassword: caller.password },
    }),
  },
  'GET /v1/audit-events': {
    owner: null,
    request: () => ({ path: '/v1/audit-events?tz=Asia/Tokyo' }),
  },
  'GET /v1/users': { owner: null, request: () => ({ path: '/v1/users' }) },
  'POST /v1/users': {
    owner: null,
    request: (_world, caller) => ({
      path: '/v1/users',
      body: { loginId: unique('new'), displayName: '新しい 利用者', role: creatableRole(caller) },
    }),
  },
  'GET /v1/users/:id': {
    owner: 'A',
    request: async (world) => ({ path: `/v1/users/${await victimInA(world)}` }),
  },
  'PATCH /v1/users/:id': {
    owner: 'A',
    request: async (world) => ({
      path: `/v1/users/${await victimInA(world)}`,
      body: { displayName: '変更 済み' },
    }),
  },
  'DELETE /v1/users/:id': {
    owner: 'A',
    request: async (world) => ({ path: `/v1/users/${await victimInA(world)}` }),
  },
  'POST /v1/users/:id/reset-password': {
    owner: 'A',
    request: async (world) => ({ path: `/v1/users/${await victimInA(world)}/reset-password` }),
  },
  'POST /v1/tenants': {
    owner: null,
    request: () => ({
      path: '/v1/tenants',
      body: { kind: 'school', name: unique('学校'), contractStart: '2026-04-01T00:00:00+09:00' },
    }),
  },
  'GET /v1/tenants': { owner: null, request: () => ({ path: '/v1/tenants' }) },
  'GET /v1/tenants/:id': {
    owner: null,
    request: (world) => ({ path: `/v1/tenants/${world.tenantIds.A}` }),
  },
  'PATCH /v1/tenants/:id': {
    owner: null,
    request: (world) => ({
      path: `/v1/tenants/${world.tenantIds.A}`,
      body: { name: 'Studio A (renamed)' },
    }),
  },
  'POST /v1/tenants/:id/admins': {
    owner: null,
    request: (world) => ({
      path: `/v1/tenants/${world.tenantIds.A}/admins`,
      body: { loginId: unique('extra-admin'), displayName: '追加 管理者' },
    }),
  },
};

const keyOf = (route: RouteTableEntry) => `${route.method} ${route.url}`;

/** What the roles table and object ownership say this caller must get. */
function expected(route: RouteTableEntry, spec: RouteSpec, caller: Caller): 'allowed' | number {
  if ('public' in route.access) return 'allowed';
  if (caller.role === null) return 401;
  if (!can(caller.role, route.access.action satisfies Action)) return 403;
  if (spec.owner !== null && caller.tenant !== spec.owner) return 404;
  return 'allowed';
}

describe.each(DIALECTS)('authorization matrix on %s', (dialect) => {
  let world: World;
  const callers: Caller[] = [];

  beforeAll(async () => {
    const clock = movableClock();
    const server = await startTestServer({ dialect, now: clock.now });
    const operator = await bootstrapOperator(server, clock.now);
    const a = await tenantWithAdmin(server, operator, 'studio', 'matrix-a-admin');
    const b = await tenantWithAdmin(server, operator, 'studio', 'matrix-b-admin');
    const c = await tenantWithAdmin(server, operator, 'school', 'matrix-c-admin');
    world = {
      server,
      tenantIds: { A: a.tenantId, B: b.tenantId, C: c.tenantId },
      admins: { A: a.admin, B: b.admin, C: c.admin },
      refreshTokens: [],
    };
    const member = async (tenant: 'A' | 'B' | 'C', role: Role, loginId: string) => {
      const made = await createMember(server, world.admins[tenant], {
        loginId,
        displayName: loginId,
        role,
      });
      callers.push({
        name: `${role}@${tenant}`,
        role,
        tenant,
        loginId,
        password: made.password,
        session: made.session,
      });
    };
    const admin = (tenant: 'A' | 'B' | 'C', role: Role, loginId: string, session: Session) =>
      callers.push({
        name: `${role}@${tenant}`,
        role,
        tenant,
        loginId,
        password: `${loginId}-pass-2026`,
        session,
      });
    callers.push({
      name: 'nobody',
      role: null,
      tenant: null,
      loginId: '',
      password: '',
      session: null,
    });
    admin('A', 'studio_admin', 'matrix-a-admin', a.admin);
    await member('A', 'designer', 'matrix-a-designer');
    admin('B', 'studio_admin', 'matrix-b-admin', b.admin);
    await member('B', 'designer', 'matrix-b-designer');
    admin('C', 'school_admin', 'matrix-c-admin', c.admin);
    await member('C', 'school_staff', 'matrix-c-staff');
    callers.push({
      name: 'operator',
      role: 'operator',
      tenant: null,
      loginId: 'operator',
      password: 'operator-password-2026',
      session: operator,
    });
    for (let i = 0; i < 20; i++) {
      const fresh = await signIn(server, 'matrix-b-designer', 'matrix-b-designer-pass-2026');
      world.refreshTokens.push((fresh.json as Session).refreshToken);
    }
  });
  afterAll(async () => {
    await world?.server.close();
  });

  it('knows how to call every route the server has', () => {
    const routes = world.server.app.routeTable.map(keyOf);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !(r in SPECS))).toEqual([]);
  });

  it('answers every route for every caller as the roles table and ownership say', async () => {
    const mismatches: string[] = [];
    for (const route of world.server.app.routeTable) {
      const spec = SPECS[keyOf(route)];
      if (!spec) continue; // reported by the test above
      for (const caller of callers) {
        const want = expected(route, spec, caller);
        const { path, body, token } = await spec.request(world, caller);
        const bearerToken = token ?? caller.session?.accessToken;
        const res = await world.server.request(path, {
          method: route.method,
          ...(bearerToken === undefined
            ? {}
            : { headers: { authorization: `Bearer ${bearerToken}` } }),
          ...(body === undefined ? {} : { body }),
        });
        const ok = want === 'allowed' ? ![401, 403, 404].includes(res.status) : res.status === want;
        if (!ok) {
          mismatches.push(
            `${keyOf(route)} as ${caller.name}: got ${res.status} ${String(errorCodeOf(res))}, want ${want}`,
          );
        }
        // Another tenant's object looks exactly like a missing one.
        if (want === 404) expect(errorCodeOf(res)).toBe('not_found');
        if (want === 403) expect(errorCodeOf(res)).toBe('forbidden');
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('shows audit events to tenant admins for their tenant only, in UTC or JST', async () => {
    const adminA = as(world.server, world.admins.A.accessToken);
    const utc = await adminA('/v1/audit-events?limit=50');
    expect(utc.status).toBe(200);
    const events = (utc.json as { events: { tenantId: string; occurredAt: string }[] }).events;
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.tenantId))).toEqual(new Set([world.tenantIds.A]));
    expect(events[0]?.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const jst = await adminA('/v1/audit-events?limit=50&tz=Asia/Tokyo');
    const jstEvents = (jst.json as { events: { id: string; occurredAt: string }[] }).events;
    expect(jstEvents[0]?.occurredAt).toMatch(/\+09:00$/);
    expect(new Date(jstEvents[0]?.occurredAt ?? '').getTime()).toBe(
      new Date(events[0]?.occurredAt ?? '').getTime(),
    );
    const operator = callers.find((c) => c.role === 'operator')?.session as Session;
    const all = await as(world.server, operator.accessToken)('/v1/audit-events?limit=500');
    const tenants = new Set(
      (all.json as { events: { tenantId: string | null }[] }).events.map((e) => e.tenantId),
    );
    expect(tenants.has(world.tenantIds.B)).toBe(true);
    expect(tenants.has(world.tenantIds.C)).toBe(true);
    const bad = await adminA('/v1/audit-events?tz=America/New_York');
    expect(bad.status).toBe(400);
    expect(errorCodeOf(bad)).toBe('validation_failed');
  });
});
