import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { expect } from 'vitest';
import { sampleAlbum, samplePage } from '../../src-shared/model/fixtures.js';
import type { Page } from '../../src-shared/model/page.js';
import {
  as,
  bearer,
  bootstrapOperator,
  createMember,
  tenantWithAdmin,
  type Session,
  type TenantWithAdmin,
} from './accountFixtures.js';
import { transfer } from './binaryTransfer.js';
import type { TestResponse } from './httpsClient.js';
import type { TestServer } from './testServer.js';

/** Album settings as a client sends them: the shared sample without the server's fields. */
export function albumSettings(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { id: _id, schemaVersion: _v, ...settings } = sampleAlbum();
  return { ...settings, ...overrides };
}

/** A studio admin's new album for a school tenant; returns its id. */
export async function createAlbumAs(
  server: TestServer,
  studioAdminToken: string,
  schoolTenantId: string,
  settings: Record<string, unknown> = albumSettings(),
): Promise<string> {
  const res = await as(server, studioAdminToken)('/v1/albums', 'POST', {
    schoolTenantId,
    settings,
  });
  expect(res.status, res.text).toBe(201);
  return (res.json as { id: string }).id;
}

export async function addMemberAs(
  server: TestServer,
  adminToken: string,
  albumId: string,
  userId: string,
): Promise<void> {
  const res = await as(server, adminToken)(`/v1/albums/${albumId}/members`, 'POST', { userId });
  expect(res.status, res.text).toBe(201);
}

/**
 * The usual cast of an album test: the operator, a studio and a school with their admins, a
 * designer of the studio, and an album of the studio for the school with the designer as a
 * member. Login ids start with `prefix`.
 */
export async function albumWithDesigner(
  server: TestServer,
  now: () => Date,
  prefix: string,
): Promise<{
  operator: Session;
  studio: TenantWithAdmin;
  school: TenantWithAdmin;
  designer: { id: string; session: Session; password: string };
  albumId: string;
}> {
  const operator = await bootstrapOperator(server, now);
  const studio = await tenantWithAdmin(server, operator, 'studio', `${prefix}-studio`);
  const school = await tenantWithAdmin(server, operator, 'school', `${prefix}-school`);
  const designer = await createMember(server, studio.admin, {
    loginId: `${prefix}-designer`,
    displayName: 'Designer',
    role: 'designer',
  });
  const albumId = await createAlbumAs(server, studio.admin.accessToken, school.tenantId);
  await addMemberAs(server, studio.admin.accessToken, albumId, designer.id);
  return { operator, studio, school, designer, albumId };
}

/** A page document for `albumId` as a client makes it (version 0: never pushed). */
export const pageFor = (albumId: string, overrides: Partial<Page> = {}): Page =>
  samplePage({ albumId, ...overrides });

export const withText = (page: Page, text: string): Page => ({
  ...page,
  elements: page.elements.map((e) => (e.kind === 'text' ? { ...e, text } : e)),
});
export const textOf = (page: Page): string =>
  page.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : [])).join('');

/** `PUT` a page as a client pushes it. */
export function pushPage(
  server: TestServer,
  token: string,
  albumId: string,
  page: Page,
  push: { ifMatch?: number; clientId: string; mutationNo: number },
): Promise<TestResponse> {
  return server.request(`/v1/albums/${albumId}/pages/${page.id}`, {
    method: 'PUT',
    headers: {
      ...bearer(token),
      ...(push.ifMatch === undefined ? {} : { 'if-match': String(push.ifMatch) }),
      'x-client-id': push.clientId,
      'x-mutation-no': String(push.mutationNo),
    },
    body: page,
  });
}

export interface FeedChange {
  seq: string;
  entity: 'album' | 'page' | 'photo' | 'membership';
  entityId: string;
  op: 'upsert' | 'delete';
  version: number | null;
  page?: { document: Page; version: number } | null;
  photo?: { status: string; failure: { reason: string } | null } | null;
  album?: { settings: Record<string, unknown> } | null;
  userId?: string;
}

export interface FeedAnswer {
  changes: FeedChange[];
  nextAfter: string;
  hasMore: boolean;
}

export async function readFeed(
  server: TestServer,
  token: string,
  albumId: string,
  after = '0',
  limit = 1000,
): Promise<FeedAnswer> {
  const res = await as(
    server,
    token,
  )(`/v1/albums/${albumId}/changes?after=${after}&limit=${limit}`);
  expect(res.status, res.text).toBe(200);
  return res.json as FeedAnswer;
}

/** A small JPEG uploaded through the API and processed to `ready`; its photo id. */
export async function uploadReadyPhoto(
  server: TestServer,
  token: string,
  albumId: string,
  jpeg?: Buffer,
  fileName = 'matrix.jpg',
): Promise<string> {
  jpeg ??= await sharp({
    create: { width: 64, height: 48, channels: 3, background: '#3a7bd5' },
  })
    .jpeg()
    .toBuffer();
  const photo = await uploadPhoto(server, token, albumId, jpeg, { fileName });
  if (photo.status !== 'ready') throw new Error('the photo never became ready');
  return photo.id;
}

/**
 * Bytes uploaded through the API the way the desktop app does (start, one PUT, complete), then
 * followed until the processor is done with them: the photo's id and final status.
 */
export async function uploadPhoto(
  server: TestServer,
  token: string,
  albumId: string,
  bytes: Buffer,
  claim: { fileName?: string; contentType?: string } = {},
): Promise<{ id: string; status: string }> {
  const started = await as(server, token)(`/v1/albums/${albumId}/photos/uploads`, 'POST', {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    fileName: claim.fileName ?? 'matrix.jpg',
    contentType: claim.contentType ?? 'image/jpeg',
  });
  expect(started.status, started.text).toBe(200);
  const answer = started.json as {
    photo: { id: string };
    upload: { url: string; headers: Record<string, string> };
  };
  const put = await transfer(answer.upload.url, {
    method: 'PUT',
    body: bytes,
    headers: answer.upload.headers,
    ca: server.ca,
  });
  expect(put.status).toBe(200);
  const done = await as(server, token)(
    `/v1/albums/${albumId}/photos/${answer.photo.id}/complete`,
    'POST',
  );
  expect(done.json).toMatchObject({ status: 'processing' });
  // Processing runs in the background; the photo's status says when it is done.
  for (let i = 0; ; i++) {
    const photo = await as(server, token)(`/v1/albums/${albumId}/photos/${answer.photo.id}`);
    const { status } = photo.json as { status: string };
    if (status !== 'processing') return { id: answer.photo.id, status };
    if (i > 400) throw new Error('the photo is still processing');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
