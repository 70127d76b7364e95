import { describe, expect, it } from 'vitest';
import { ALL_ROUTES } from './allRoutes.js';
import { routeName } from './routeSpec.js';

/**
 * What each route of the contract needs (P5). The server enforces a spec's access and the
 * authorization matrix checks that it does; this table pins the declarations themselves, so a
 * route whose access is weakened (or a new route) changes a line here on purpose.
 */
const EXPECTED: [string, string][] = [
  ['POST /v1/auth/sign-in', 'public'],
  ['POST /v1/auth/refresh', 'public'],
  ['POST /v1/auth/sign-out', 'self.manage, also with a temporary password'],
  ['GET /v1/me', 'self.manage'],
  ['POST /v1/me/password', 'self.manage, also with a temporary password'],
  ['GET /v1/users', 'user.read'],
  ['POST /v1/users', 'user.manage'],
  ['GET /v1/users/:id', 'user.read'],
  ['PATCH /v1/users/:id', 'user.manage'],
  ['DELETE /v1/users/:id', 'user.manage'],
  ['POST /v1/users/:id/reset-password', 'user.manage'],
  ['POST /v1/tenants', 'tenant.manage'],
  ['GET /v1/tenants', 'tenant.manage'],
  ['GET /v1/tenants/:id', 'tenant.manage'],
  ['PATCH /v1/tenants/:id', 'tenant.manage'],
  ['PUT /v1/tenants/:id/legal-hold', 'tenant.manage'],
  ['POST /v1/tenants/:id/admins', 'tenant.manage'],
  ['POST /v1/tenants/:id/admins/:userId/reset-password', 'tenant.manage'],
  ['GET /v1/albums', 'album.read'],
  ['POST /v1/albums', 'album.create'],
  ['GET /v1/albums/:albumId', 'album.read'],
  ['PATCH /v1/albums/:albumId', 'album.update'],
  ['POST /v1/albums/:albumId/archive', 'album.update'],
  ['DELETE /v1/albums/:albumId', 'album.update'],
  ['GET /v1/albums/:albumId/members', 'album.read'],
  ['POST /v1/albums/:albumId/members', 'album.members.manage'],
  ['DELETE /v1/albums/:albumId/members/:userId', 'album.members.manage'],
  ['GET /v1/albums/:albumId/export', 'album.export'],
  ['GET /v1/albums/:albumId/pages', 'page.read'],
  ['GET /v1/albums/:albumId/pages/:pageId', 'page.read'],
  ['POST /v1/albums/:albumId/pages', 'page.edit'],
  ['PUT /v1/albums/:albumId/pages/:pageId', 'page.edit'],
  ['DELETE /v1/albums/:albumId/pages/:pageId', 'page.edit'],
  ['POST /v1/albums/:albumId/pages/reorder', 'page.edit'],
  ['GET /v1/albums/:albumId/changes', 'album.read'],
  ['GET /v1/albums/:albumId/photos', 'photo.read'],
  ['GET /v1/albums/:albumId/photos/:photoId', 'photo.read'],
  ['GET /v1/albums/:albumId/photos/:photoId/url', 'photo.read'],
  ['GET /v1/albums/:albumId/photos/:photoId/content', 'photo.read'],
  ['POST /v1/albums/:albumId/photos/check', 'photo.upload'],
  ['POST /v1/albums/:albumId/photos/uploads', 'photo.upload'],
  ['POST /v1/albums/:albumId/photos/uploads/batch', 'photo.upload'],
  ['POST /v1/albums/:albumId/photos/:photoId/parts', 'photo.upload'],
  ['POST /v1/albums/:albumId/photos/:photoId/complete', 'photo.upload'],
  ['GET /v1/audit-events', 'audit.read'],
  ['POST /v1/announcements', 'tenant.manage'],
  ['POST /v1/incidents', 'tenant.manage'],
  ['GET /v1/incidents', 'tenant.manage'],
  ['PUT /v1/blobs/*', 'public'],
  ['GET /v1/blobs/*', 'public'],
  ['GET /healthz', 'public'],
  ['GET /readyz', 'public'],
  ['GET /v1/about', 'public'],
  ['GET /v1/openapi.json', 'public'],
];

const described = (access: (typeof ALL_ROUTES)[number]['access']): string => {
  if ('public' in access) return 'public';
  return access.allowWithTemporaryPassword
    ? `${access.action}, also with a temporary password`
    : access.action;
};

describe('the access each route of the Cloud API contract declares', () => {
  it('is exactly the table, for exactly these routes', () => {
    const declared = ALL_ROUTES.map((spec): [string, string] => [
      routeName(spec),
      described(spec.access),
    ]);
    expect(new Map(declared)).toEqual(new Map(EXPECTED));
    // No route twice (a Map would hide it).
    expect(declared).toHaveLength(EXPECTED.length);
  });
});
