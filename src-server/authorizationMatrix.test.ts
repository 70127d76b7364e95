import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Action, type Role } from '../src-shared/auth/roles.js';
import { canSeeAlbum } from './albums/albumAccess.js';
import { photoKey } from './blobs/blobKeys.js';
import type { RouteTableEntry } from './http/routeAccess.js';
import type { BlobStore } from './blobs/blobStore.js';
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
import {
  addMemberAs,
  albumSettings,
  createAlbumAs,
  pageFor,
  uploadReadyPhoto,
} from './testing/albumFixtures.js';
import { DIALECTS } from './testing/testDatabase.js';
import { startTestServer, type TestServer } from './testing/testServer.js';

/**
 * P5, P15: every route the running server has, called as nobody, as each role of the tenant
 * that owns the objects, as each role of two other tenants, and as the operator. The expected
 * status follows from the roles table and object ownership alone; a route that this file does
 * not know how to call fails the test, so no new route escapes the matrix.
 *
 * Albums: the matrix album belongs to studio A and is made for school C; designer@A and
 * staff@C are its members, designer@A(out) and staff@C(out) are not. The rule: the route guard
 * answers 403 when the role lacks the action (for any album id, existing or not); otherwise a
 * caller who cannot see the album (albumAccess.ts: the studio's admins, the school's admins,
 * members of the other roles) gets 404, exactly like a missing album (P15).
 */

interface Caller {
  readonly name: string;
  readonly role: Role | null;
  /** null for the operator and for nobody. */
  readonly tenant: 'A' | 'B' | 'C' | null;
  readonly loginId: string;
  readonly password: string;
  /** Member of the matrix albums (designer@A, staff@C). */
  readonly albumMember: boolean;
  session: Session | null;
}

interface World {
  readonly server: TestServer;
  readonly operator: Session;
  readonly tenantIds: Record<'A' | 'B' | 'C', string>;
  readonly admins: Record<'A' | 'B' | 'C', Session>;
  readonly refreshTokens: string[];
  /** Album of studio A for school C, with designer@A and staff@C as members. */
  readonly albumId: string;
  readonly memberIds: { readonly A: string; readonly C: string };
  /** A ready photo of the album and one of its pages. */
  readonly photoId: string;
  readonly pageId: string;
}

interface SpecRequest {
  readonly path: string;
  readonly body?: unknown;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

interface RouteSpec {
  /**
   * Which tenant owns the object the path names; null: the route names no tenant's object.
   * 'album': the path names the matrix album (or something in it): visibility decides.
   */
  readonly owner: 'A' | 'album' | null;
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

const tokenOf = (world: World, caller: Caller): string =>
  caller.session?.accessToken ?? world.admins.A.accessToken;

/** A fresh user of the caller's own tenant when it is the album's studio or school, else of A. */
async function newUserFor(world: World, caller: Caller): Promise<{ id: string; side: 'A' | 'C' }> {
  const side = caller.tenant === 'C' ? 'C' : 'A';
  const res = await as(world.server, world.admins[side].accessToken)('/v1/users', 'POST', {
    loginId: unique('album-user'),
    displayName: '佐藤 次郎',
    role: side === 'C' ? 'school_staff' : 'designer',
  });
  expect(res.status).toBe(201);
  return { id: (res.json as { user: { id: string } }).user.id, side };
}

/** A fresh album like the matrix album, for calls that delete or reorder. */
async function freshAlbum(world: World): Promise<string> {
  const albumId = await createAlbumAs(world.server, world.admins.A.accessToken, world.tenantIds.C);
  await addMemberAs(world.server, world.admins.A.accessToken, albumId, world.memberIds.A);
  await addMemberAs(world.server, world.admins.C.accessToken, albumId, world.memberIds.C);
  return albumId;
}

/** A fresh page of the matrix album, made by studio A's admin. */
async function freshPage(world: World): Promise<string> {
  const id = unique('page');
  const res = await as(world.server, world.admins.A.accessToken)(
    `/v1/albums/${world.albumId}/pages`,
    'POST',
    pageFor(world.albumId, { id }),
  );
  expect(res.status).toBe(201);
  return id;
}

/** An upload started by the caller if they may, else by studio A's admin; its photo id. */
async function uploadBy(world: World, caller: Caller, size: number): Promise<string> {
  const body = {
    sha256: createHash('sha256').update(randomUUID()).digest('hex'),
    size,
    fileName: 'IMG_0001.JPG',
    contentType: 'image/jpeg',
  };
  const path = `/v1/albums/${world.albumId}/photos/uploads`;
  let res = await as(world.server, tokenOf(world, caller))(path, 'POST', body);
  if (res.status !== 200)
    res = await as(world.server, world.admins.A.accessToken)(path, 'POST', body);
  expect(res.status).toBe(200);
  return (res.json as { photo: { id: string } }).photo.id;
}

const album = (world: World) => `/v1/albums/${world.albumId}`;

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
  'PUT /v1/tenants/:id/legal-hold': {
    owner: null,
    // Lifting a hold that is not set: the matrix checks who may, without changing the world.
    request: (world) => ({
      path: `/v1/tenants/${world.tenantIds.A}/legal-hold`,
      body: { legalHold: false },
    }),
  },
  'POST /v1/announcements': {
    owner: null,
    request: (world) => ({
      path: '/v1/announcements',
      body: {
        tenantIds: [world.tenantIds.A],
        subjectJa: '変更のお知らせ',
        subjectEn: 'A change',
        bodyJa: '本文',
        bodyEn: 'Body',
      },
    }),
  },
  'POST /v1/incidents': {
    owner: null,
    request: (world) => ({
      path: '/v1/incidents',
      body: {
        title: unique('incident'),
        detectedAt: '2026-01-05T00:00:00Z',
        tenantIds: [world.tenantIds.A],
        subjectJa: '障害のお知らせ',
        subjectEn: 'Incident',
        bodyJa: '本文',
        bodyEn: 'Body',
      },
    }),
  },
  'GET /v1/incidents': { owner: null, request: () => ({ path: '/v1/incidents' }) },
  'POST /v1/tenants/:id/admins': {
    owner: null,
    request: (world) => ({
      path: `/v1/tenants/${world.tenantIds.A}/admins`,
      body: { loginId: unique('extra-admin'), displayName: '追加 管理者' },
    }),
  },
  'POST /v1/tenants/:id/admins/:userId/reset-password': {
    owner: null,
    // A fresh admin each time: a reset ends the target's sessions.
    request: async (world) => {
      const made = await as(world.server, world.operator.accessToken)(
        `/v1/tenants/${world.tenantIds.A}/admins`,
        'POST',
        { loginId: unique('reset-admin'), displayName: '再設定 管理者' },
      );
      expect(made.status).toBe(201);
      const { id } = (made.json as { user: { id: string } }).user;
      return { path: `/v1/tenants/${world.tenantIds.A}/admins/${id}/reset-password` };
    },
  },
  'GET /v1/albums': { owner: null, request: () => ({ path: '/v1/albums' }) },
  'POST /v1/albums': {
    owner: null,
    request: (world) => ({
      path: '/v1/albums',
      body: { schoolTenantId: world.tenantIds.C, settings: albumSettings() },
    }),
  },
  'GET /v1/albums/:albumId': { owner: 'album', request: (world) => ({ path: album(world) }) },
  'PATCH /v1/albums/:albumId': {
    owner: 'album',
    request: (world) => ({ path: album(world), body: { settings: { title: unique('卒業') } } }),
  },
  'POST /v1/albums/:albumId/archive': {
    owner: 'album',
    // Unarchiving an album that is not archived: reaches the handler, changes nothing.
    request: (world) => ({ path: `${album(world)}/archive`, body: { archived: false } }),
  },
  'DELETE /v1/albums/:albumId': {
    owner: 'album',
    request: async (world) => ({ path: `/v1/albums/${await freshAlbum(world)}` }),
  },
  'GET /v1/albums/:albumId/members': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/members` }),
  },
  'POST /v1/albums/:albumId/members': {
    owner: 'album',
    request: async (world, caller) => ({
      path: `${album(world)}/members`,
      body: { userId: (await newUserFor(world, caller)).id },
    }),
  },
  'DELETE /v1/albums/:albumId/members/:userId': {
    owner: 'album',
    request: async (world, caller) => {
      const user = await newUserFor(world, caller);
      await addMemberAs(world.server, world.admins[user.side].accessToken, world.albumId, user.id);
      return { path: `${album(world)}/members/${user.id}` };
    },
  },
  'GET /v1/albums/:albumId/changes': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/changes?after=0&limit=5` }),
  },
  'GET /v1/albums/:albumId/pages': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/pages` }),
  },
  'GET /v1/albums/:albumId/pages/:pageId': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/pages/${world.pageId}` }),
  },
  'POST /v1/albums/:albumId/pages': {
    owner: 'album',
    request: (world) => ({
      path: `${album(world)}/pages`,
      body: pageFor(world.albumId, { id: unique('new-page') }),
    }),
  },
  'PUT /v1/albums/:albumId/pages/:pageId': {
    owner: 'album',
    request: async (world) => {
      const id = await freshPage(world);
      return {
        path: `${album(world)}/pages/${id}`,
        body: pageFor(world.albumId, { id }),
        headers: { 'if-match': '1', 'x-client-id': unique('client'), 'x-mutation-no': '1' },
      };
    },
  },
  'DELETE /v1/albums/:albumId/pages/:pageId': {
    owner: 'album',
    request: async (world) => ({ path: `${album(world)}/pages/${await freshPage(world)}` }),
  },
  'POST /v1/albums/:albumId/pages/reorder': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/pages/reorder`, body: { order: ['nope'] } }),
  },
  'POST /v1/albums/:albumId/photos/check': {
    owner: 'album',
    request: (world) => ({
      path: `${album(world)}/photos/check`,
      body: { hashes: ['0'.repeat(64)] },
    }),
  },
  'POST /v1/albums/:albumId/photos/uploads': {
    owner: 'album',
    request: (world) => ({
      path: `${album(world)}/photos/uploads`,
      body: {
        sha256: createHash('sha256').update(randomUUID()).digest('hex'),
        size: 1234,
        fileName: 'IMG_0002.JPG',
        contentType: 'image/jpeg',
      },
    }),
  },
  'POST /v1/albums/:albumId/photos/uploads/batch': {
    owner: 'album',
    request: (world) => ({
      path: `${album(world)}/photos/uploads/batch`,
      body: {
        uploads: [
          {
            sha256: createHash('sha256').update(randomUUID()).digest('hex'),
            size: 1234,
            fileName: 'IMG_0003.JPG',
            contentType: 'image/jpeg',
          },
        ],
      },
    }),
  },
  'POST /v1/albums/:albumId/photos/:photoId/parts': {
    owner: 'album',
    request: async (world, caller) => ({
      path: `${album(world)}/photos/${await uploadBy(world, caller, 65 * 1024 * 1024)}/parts`,
      body: { partNumber: 1, etag: '"d41d8cd98f00b204e9800998ecf8427e"' },
    }),
  },
  'POST /v1/albums/:albumId/photos/:photoId/complete': {
    owner: 'album',
    // Nothing was uploaded: past every access check the photo becomes `processing`, and the
    // processor fails it (upload_missing).
    request: async (world, caller) => ({
      path: `${album(world)}/photos/${await uploadBy(world, caller, 1234)}/complete`,
    }),
  },
  'GET /v1/albums/:albumId/photos': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/photos` }),
  },
  'GET /v1/albums/:albumId/photos/:photoId': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/photos/${world.photoId}` }),
  },
  'GET /v1/albums/:albumId/export': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/export` }),
  },
  'GET /v1/albums/:albumId/photos/:photoId/url': {
    owner: 'album',
    request: (world) => ({ path: `${album(world)}/photos/${world.photoId}/url?variant=thumbnail` }),
  },
  'GET /v1/albums/:albumId/photos/:photoId/content': {
    owner: 'album',
    request: (world) => ({
      path: `${album(world)}/photos/${world.photoId}/content?variant=thumbnail`,
    }),
  },
  // The local store's signed URLs: public routes, the signature is the authorisation.
  'PUT /v1/blobs/*': {
    owner: null,
    request: async (world) => {
      const body = { bytes: 'x' };
      const url = await (world.server.localBlobs?.store as BlobStore).presignPut(
        photoKey(randomUUID(), randomUUID(), randomUUID(), 'original'),
        {
          contentLength: Buffer.byteLength(JSON.stringify(body)),
          contentType: 'application/json',
          expiresInSeconds: 60,
        },
      );
      return { path: new URL(url).pathname, body };
    },
  },
  'GET /v1/blobs/*': {
    owner: null,
    request: async (world) => {
      const url = await world.server.blobs.presignGet(
        photoKey(world.tenantIds.A, world.albumId, world.photoId, 'thumbnail'),
        { expiresInSeconds: 60 },
      );
      return { path: new URL(url).pathname };
    },
  },
};

const keyOf = (route: RouteTableEntry) => `${route.method} ${route.url}`;

/** What the roles table and object ownership say this caller must get. */
function expected(route: RouteTableEntry, spec: RouteSpec, caller: Caller): 'allowed' | number {
  if ('public' in route.access) return 'allowed';
  if (caller.role === null) return 401;
  if (!can(caller.role, route.access.action satisfies Action)) return 403;
  if (spec.owner === 'album') {
    const visible = canSeeAlbum(
      { studioTenantId: 'A', schoolTenantId: 'C' },
      { tenantId: caller.tenant, role: caller.role },
      caller.albumMember,
    );
    return visible ? 'allowed' : 404;
  }
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
    const admins = { A: a.admin, B: b.admin, C: c.admin };
    const tenantIds = { A: a.tenantId, B: b.tenantId, C: c.tenantId };
    const memberIds: Record<string, string> = {};
    const member = async (
      tenant: 'A' | 'B' | 'C',
      role: Role,
      loginId: string,
      albumMember = false,
    ) => {
      const made = await createMember(server, admins[tenant], {
        loginId,
        displayName: loginId,
        role,
      });
      if (albumMember) memberIds[tenant] = made.id;
      callers.push({
        name: `${role}@${tenant}${albumMember || role.endsWith('admin') ? '' : '(out)'}`,
        role,
        tenant,
        loginId,
        password: made.password,
        albumMember,
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
        albumMember: false,
        session,
      });
    callers.push({
      name: 'nobody',
      role: null,
      tenant: null,
      loginId: '',
      password: '',
      albumMember: false,
      session: null,
    });
    admin('A', 'studio_admin', 'matrix-a-admin', a.admin);
    await member('A', 'designer', 'matrix-a-designer', true);
    await member('A', 'designer', 'matrix-a-designer-out');
    admin('B', 'studio_admin', 'matrix-b-admin', b.admin);
    await member('B', 'designer', 'matrix-b-designer');
    admin('C', 'school_admin', 'matrix-c-admin', c.admin);
    await member('C', 'school_staff', 'matrix-c-staff', true);
    await member('C', 'school_staff', 'matrix-c-staff-out');
    callers.push({
      name: 'operator',
      role: 'operator',
      tenant: null,
      loginId: 'operator',
      password: 'operator-password-2026',
      albumMember: false,
      session: operator,
    });
    const albumId = await createAlbumAs(server, a.admin.accessToken, c.tenantId);
    await addMemberAs(server, a.admin.accessToken, albumId, memberIds['A'] as string);
    await addMemberAs(server, c.admin.accessToken, albumId, memberIds['C'] as string);
    world = {
      server,
      operator,
      tenantIds,
      admins,
      refreshTokens: [],
      albumId,
      memberIds: { A: memberIds['A'] as string, C: memberIds['C'] as string },
      photoId: await uploadReadyPhoto(server, a.admin.accessToken, albumId),
      pageId: 'matrix-page',
    };
    const page = await as(server, a.admin.accessToken)(
      `/v1/albums/${albumId}/pages`,
      'POST',
      pageFor(albumId, { id: 'matrix-page' }),
    );
    expect(page.status).toBe(201);
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
        const { path, body, token, headers } = await spec.request(world, caller);
        const bearerToken = token ?? caller.session?.accessToken;
        const res = await world.server.request(path, {
          method: route.method,
          headers: {
            ...headers,
            ...(bearerToken === undefined ? {} : { authorization: `Bearer ${bearerToken}` }),
          },
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
    // Every route × every caller, one after another: over the default on a loaded machine.
  }, 180_000);

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
