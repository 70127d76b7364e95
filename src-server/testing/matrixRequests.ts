import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../../src-shared/auth/roles.js';
import { photoKey } from '../blobs/blobKeys.js';
import type { BlobStore } from '../blobs/blobStore.js';
import { as, signIn, type Session } from './accountFixtures.js';
import { addMemberAs, albumSettings, createAlbumAs, pageFor } from './albumFixtures.js';
import type { MatrixCaller, MatrixWorld } from './matrixWorld.js';

export interface MatrixRequest {
  /** Path with query string. */
  readonly path: string;
  readonly body?: unknown;
  /** Instead of the caller's own access token. */
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export type RouteCall = (
  world: MatrixWorld,
  caller: MatrixCaller,
) => MatrixRequest | Promise<MatrixRequest>;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${randomUUID().slice(0, 8)}`;

/** A fresh designer of tenant A, so destructive calls never hit an object others still need. */
async function victimInA(world: MatrixWorld): Promise<string> {
  const res = await as(world.server, world.admins.A.accessToken)('/v1/users', 'POST', {
    loginId: unique('victim'),
    displayName: '山田 花子',
    role: 'designer',
  });
  expect(res.status).toBe(201);
  return (res.json as { user: { id: string } }).user.id;
}

const creatableRole = (caller: MatrixCaller): Role =>
  caller.tenant === 'C' ? 'school_staff' : 'designer';

const tokenOf = (world: MatrixWorld, caller: MatrixCaller): string =>
  caller.session?.accessToken ?? world.admins.A.accessToken;

/** A fresh user of the caller's own tenant when it is the album's studio or school, else of A. */
async function newUserFor(
  world: MatrixWorld,
  caller: MatrixCaller,
): Promise<{ id: string; side: 'A' | 'C' }> {
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
async function freshAlbum(world: MatrixWorld): Promise<string> {
  const albumId = await createAlbumAs(world.server, world.admins.A.accessToken, world.tenantIds.C);
  await addMemberAs(world.server, world.admins.A.accessToken, albumId, world.memberIds.A);
  await addMemberAs(world.server, world.admins.C.accessToken, albumId, world.memberIds.C);
  return albumId;
}

/** A fresh page of the matrix album, made by studio A's admin. */
async function freshPage(world: MatrixWorld): Promise<string> {
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
async function uploadBy(world: MatrixWorld, caller: MatrixCaller, size: number): Promise<string> {
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

const album = (world: MatrixWorld) => `/v1/albums/${world.albumId}`;

/**
 * How the matrix calls each route as `caller`: path parameters and body, made so that a caller
 * who gets past every access check reaches the handler and is answered below 500 and with no
 * 401, 403 or 404 of the handler's own. Calls that destroy or use up something act on a fresh
 * object, made through the API by an admin.
 */
export const ROUTE_CALLS: Readonly<Record<string, RouteCall>> = {
  'GET /healthz': () => ({ path: '/healthz' }),
  'GET /readyz': () => ({ path: '/readyz' }),
  'GET /v1/about': () => ({ path: '/v1/about' }),
  'GET /v1/openapi.json': () => ({ path: '/v1/openapi.json' }),
  'POST /v1/auth/sign-in': () => ({
    path: '/v1/auth/sign-in',
    body: { loginId: 'matrix-a-designer', password: 'matrix-a-designer-pass-2026' },
  }),
  'POST /v1/auth/refresh': (world) => ({
    path: '/v1/auth/refresh',
    body: { refreshToken: world.refreshTokens.pop() },
  }),
  // Signing out ends the session: use a fresh one so the caller's own stays usable.
  'POST /v1/auth/sign-out': async (world, caller) => {
    const fresh = await signIn(world.server, caller.loginId, caller.password);
    return { path: '/v1/auth/sign-out', token: (fresh.json as Session).accessToken };
  },
  'GET /v1/me': () => ({ path: '/v1/me' }),
  // Reaching the handler is enough: an unchanged password is refused there, with no effect.
  'POST /v1/me/password': (_world, caller) => ({
    path: '/v1/me/password',
    body: { currentPassword: caller.password, newPassword: caller.password },
  }),
  'GET /v1/audit-events': () => ({ path: '/v1/audit-events?tz=Asia/Tokyo' }),
  'GET /v1/users': () => ({ path: '/v1/users' }),
  'POST /v1/users': (_world, caller) => ({
    path: '/v1/users',
    body: { loginId: unique('new'), displayName: '新しい 利用者', role: creatableRole(caller) },
  }),
  'GET /v1/users/:id': async (world) => ({ path: `/v1/users/${await victimInA(world)}` }),
  'PATCH /v1/users/:id': async (world) => ({
    path: `/v1/users/${await victimInA(world)}`,
    body: { displayName: '変更 済み' },
  }),
  'DELETE /v1/users/:id': async (world) => ({ path: `/v1/users/${await victimInA(world)}` }),
  'POST /v1/users/:id/reset-password': async (world) => ({
    path: `/v1/users/${await victimInA(world)}/reset-password`,
  }),
  'POST /v1/tenants': () => ({
    path: '/v1/tenants',
    body: { kind: 'school', name: unique('学校'), contractStart: '2026-04-01T00:00:00+09:00' },
  }),
  'GET /v1/tenants': () => ({ path: '/v1/tenants' }),
  'GET /v1/tenants/:id': (world) => ({ path: `/v1/tenants/${world.tenantIds.A}` }),
  'PATCH /v1/tenants/:id': (world) => ({
    path: `/v1/tenants/${world.tenantIds.A}`,
    body: { name: 'Studio A (renamed)' },
  }),
  // Lifting a hold that is not set: the matrix checks who may, without changing the world.
  'PUT /v1/tenants/:id/legal-hold': (world) => ({
    path: `/v1/tenants/${world.tenantIds.A}/legal-hold`,
    body: { legalHold: false },
  }),
  'POST /v1/announcements': (world) => ({
    path: '/v1/announcements',
    body: {
      tenantIds: [world.tenantIds.A],
      subjectJa: '変更のお知らせ',
      subjectEn: 'A change',
      bodyJa: '本文',
      bodyEn: 'Body',
    },
  }),
  'POST /v1/incidents': (world) => ({
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
  'GET /v1/incidents': () => ({ path: '/v1/incidents' }),
  'POST /v1/tenants/:id/admins': (world) => ({
    path: `/v1/tenants/${world.tenantIds.A}/admins`,
    body: { loginId: unique('extra-admin'), displayName: '追加 管理者' },
  }),
  // A fresh admin each time: a reset ends the target's sessions.
  'POST /v1/tenants/:id/admins/:userId/reset-password': async (world) => {
    const made = await as(world.server, world.operator.accessToken)(
      `/v1/tenants/${world.tenantIds.A}/admins`,
      'POST',
      { loginId: unique('reset-admin'), displayName: '再設定 管理者' },
    );
    expect(made.status).toBe(201);
    const { id } = (made.json as { user: { id: string } }).user;
    return { path: `/v1/tenants/${world.tenantIds.A}/admins/${id}/reset-password` };
  },
  'GET /v1/albums': () => ({ path: '/v1/albums' }),
  'POST /v1/albums': (world) => ({
    path: '/v1/albums',
    body: { schoolTenantId: world.tenantIds.C, settings: albumSettings() },
  }),
  'GET /v1/albums/:albumId': (world) => ({ path: album(world) }),
  'PATCH /v1/albums/:albumId': (world) => ({
    path: album(world),
    body: { settings: { title: unique('卒業') } },
  }),
  // Unarchiving an album that is not archived: reaches the handler, changes nothing.
  'POST /v1/albums/:albumId/archive': (world) => ({
    path: `${album(world)}/archive`,
    body: { archived: false },
  }),
  'DELETE /v1/albums/:albumId': async (world) => ({
    path: `/v1/albums/${await freshAlbum(world)}`,
  }),
  'GET /v1/albums/:albumId/members': (world) => ({ path: `${album(world)}/members` }),
  'POST /v1/albums/:albumId/members': async (world, caller) => ({
    path: `${album(world)}/members`,
    body: { userId: (await newUserFor(world, caller)).id },
  }),
  'DELETE /v1/albums/:albumId/members/:userId': async (world, caller) => {
    const user = await newUserFor(world, caller);
    await addMemberAs(world.server, world.admins[user.side].accessToken, world.albumId, user.id);
    return { path: `${album(world)}/members/${user.id}` };
  },
  'GET /v1/albums/:albumId/changes': (world) => ({
    path: `${album(world)}/changes?after=0&limit=5`,
  }),
  'GET /v1/albums/:albumId/pages': (world) => ({ path: `${album(world)}/pages` }),
  'GET /v1/albums/:albumId/pages/:pageId': (world) => ({
    path: `${album(world)}/pages/${world.pageId}`,
  }),
  'POST /v1/albums/:albumId/pages': (world) => ({
    path: `${album(world)}/pages`,
    body: pageFor(world.albumId, { id: unique('new-page') }),
  }),
  'PUT /v1/albums/:albumId/pages/:pageId': async (world) => {
    const id = await freshPage(world);
    return {
      path: `${album(world)}/pages/${id}`,
      body: pageFor(world.albumId, { id }),
      headers: { 'if-match': '1', 'x-client-id': unique('client'), 'x-mutation-no': '1' },
    };
  },
  'DELETE /v1/albums/:albumId/pages/:pageId': async (world) => ({
    path: `${album(world)}/pages/${await freshPage(world)}`,
  }),
  'POST /v1/albums/:albumId/pages/reorder': (world) => ({
    path: `${album(world)}/pages/reorder`,
    body: { order: ['nope'] },
  }),
  'POST /v1/albums/:albumId/photos/check': (world) => ({
    path: `${album(world)}/photos/check`,
    body: { hashes: ['0'.repeat(64)] },
  }),
  'POST /v1/albums/:albumId/photos/uploads': (world) => ({
    path: `${album(world)}/photos/uploads`,
    body: {
      sha256: createHash('sha256').update(randomUUID()).digest('hex'),
      size: 1234,
      fileName: 'IMG_0002.JPG',
      contentType: 'image/jpeg',
    },
  }),
  'POST /v1/albums/:albumId/photos/uploads/batch': (world) => ({
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
  'POST /v1/albums/:albumId/photos/:photoId/parts': async (world, caller) => ({
    path: `${album(world)}/photos/${await uploadBy(world, caller, 65 * 1024 * 1024)}/parts`,
    body: { partNumber: 1, etag: '"d41d8cd98f00b204e9800998ecf8427e"' },
  }),
  // Nothing was uploaded: past every access check the photo becomes `processing`, and the
  // processor fails it (upload_missing).
  'POST /v1/albums/:albumId/photos/:photoId/complete': async (world, caller) => ({
    path: `${album(world)}/photos/${await uploadBy(world, caller, 1234)}/complete`,
  }),
  'GET /v1/albums/:albumId/photos': (world) => ({ path: `${album(world)}/photos` }),
  'GET /v1/albums/:albumId/photos/:photoId': (world) => ({
    path: `${album(world)}/photos/${world.photoId}`,
  }),
  'GET /v1/albums/:albumId/export': (world) => ({ path: `${album(world)}/export` }),
  'GET /v1/albums/:albumId/photos/:photoId/url': (world) => ({
    path: `${album(world)}/photos/${world.photoId}/url?variant=thumbnail`,
  }),
  'GET /v1/albums/:albumId/photos/:photoId/content': (world) => ({
    path: `${album(world)}/photos/${world.photoId}/content?variant=thumbnail`,
  }),
  // The local store's signed URLs: public routes, the signature is the authorisation.
  'PUT /v1/blobs/*': async (world) => {
    const body = { bytes: 'x' };
    const { url } = await (world.server.localBlobs?.store as BlobStore).presignPut(
      photoKey(randomUUID(), randomUUID(), randomUUID(), 'original'),
      {
        contentLength: Buffer.byteLength(JSON.stringify(body)),
        contentType: 'application/json',
        expiresInSeconds: 60,
      },
    );
    return { path: new URL(url).pathname, body };
  },
  'GET /v1/blobs/*': async (world) => {
    const url = await world.server.blobs.presignGet(
      photoKey(world.tenantIds.A, world.albumId, world.photoId, 'thumbnail'),
      { expiresInSeconds: 60 },
    );
    return { path: new URL(url).pathname };
  },
};
