import type { Action, Role } from '../../src-shared/auth/roles.js';

/**
 * What the authorization matrix expects, written out by hand (P5, P15). Nothing here reads the
 * production roles table, the visibility rule or a route's declared access: a wrong
 * declaration, a widened role or a skipped check then shows up as a mismatch instead of moving
 * the expectation along with it. A change here is a security decision.
 */

/** The matrix's callers: nobody, each role of studios A and B and school C, the operator. */
export const CALLER_NAMES = [
  'nobody',
  'studio_admin@A',
  /** A member of the matrix album. */
  'designer@A',
  'designer@A(out)',
  /** Signed in with the temporary password the admin was given, never changed (P6). */
  'designer@A(temporary)',
  'studio_admin@B',
  'designer@B',
  'school_admin@C',
  /** A member of the matrix album. */
  'school_staff@C',
  'school_staff@C(out)',
  'operator',
] as const;
export type CallerName = (typeof CALLER_NAMES)[number];

export const ROLE_OF: Readonly<Record<CallerName, Role | null>> = {
  nobody: null,
  'studio_admin@A': 'studio_admin',
  'designer@A': 'designer',
  'designer@A(out)': 'designer',
  'designer@A(temporary)': 'designer',
  'studio_admin@B': 'studio_admin',
  'designer@B': 'designer',
  'school_admin@C': 'school_admin',
  'school_staff@C': 'school_staff',
  'school_staff@C(out)': 'school_staff',
  operator: 'operator',
};

export const ON_TEMPORARY_PASSWORD: readonly CallerName[] = ['designer@A(temporary)'];

/** Which roles may do each action. */
export const ROLES_ALLOWED: Readonly<Record<Action, readonly Role[]>> = {
  'tenant.manage': ['operator'],
  'user.manage': ['studio_admin', 'school_admin'],
  'user.read': ['studio_admin', 'designer', 'school_admin'],
  'album.create': ['studio_admin'],
  'album.read': ['studio_admin', 'designer', 'school_admin', 'school_staff'],
  'album.update': ['studio_admin'],
  'album.members.manage': ['studio_admin', 'school_admin'],
  'page.read': ['studio_admin', 'designer', 'school_admin', 'school_staff'],
  'page.edit': ['studio_admin', 'designer'],
  'photo.upload': ['studio_admin', 'designer', 'school_admin', 'school_staff'],
  'photo.read': ['studio_admin', 'designer', 'school_admin', 'school_staff'],
  // docs/server.md ("Album export") names school staff too; roles.ts does not. The matrix
  // holds the table as shipped until that is decided.
  'album.export': ['studio_admin', 'designer', 'school_admin'],
  'audit.read': ['operator', 'studio_admin', 'school_admin'],
  'self.manage': ['operator', 'studio_admin', 'designer', 'school_admin', 'school_staff'],
};

/**
 * The matrix album belongs to studio A and is made for school C; designer@A and
 * school_staff@C are its members. Who sees it (albumAccess.ts): the studio's admins, the
 * school's admins, and members of the other roles. To everyone else it does not exist (404).
 */
export const SEES_MATRIX_ALBUM: Readonly<Record<CallerName, boolean>> = {
  nobody: false,
  'studio_admin@A': true,
  'designer@A': true,
  'designer@A(out)': false,
  'designer@A(temporary)': false,
  'studio_admin@B': false,
  'designer@B': false,
  'school_admin@C': true,
  'school_staff@C': true,
  'school_staff@C(out)': false,
  operator: false,
};

/** A user of studio A is found only by callers of studio A; everyone else gets 404. */
export const SEES_USER_OF_A: Readonly<Record<CallerName, boolean>> = {
  nobody: false,
  'studio_admin@A': true,
  'designer@A': true,
  'designer@A(out)': true,
  'designer@A(temporary)': true,
  'studio_admin@B': false,
  'designer@B': false,
  'school_admin@C': false,
  'school_staff@C': false,
  'school_staff@C(out)': false,
  operator: false,
};

/**
 * What a route needs, and which object the matrix's call of it names:
 * - `userOfA`: a user of studio A (SEES_USER_OF_A decides, after the role);
 * - `matrixAlbum`: the matrix album or something in it (SEES_MATRIX_ALBUM decides);
 * - `albumList`: lists albums; the matrix album is listed exactly to those who see it.
 * `temporaryPassword`: a session opened with a temporary password may call it too (P6).
 */
export type RouteExpectation =
  | { readonly public: true }
  | {
      readonly action: Action;
      readonly temporaryPassword?: true;
      readonly object?: 'userOfA' | 'matrixAlbum' | 'albumList';
    };

const PUBLIC = { public: true } as const;
const inAlbum = (action: Action) => ({ action, object: 'matrixAlbum' }) as const;

/** Every route of the running server, `METHOD /url` as Fastify registers it. */
export const ROUTE_EXPECTATIONS: Readonly<Record<string, RouteExpectation>> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /v1/about': PUBLIC,
  'GET /v1/openapi.json': PUBLIC,
  'POST /v1/auth/sign-in': PUBLIC,
  'POST /v1/auth/refresh': PUBLIC,
  'POST /v1/auth/sign-out': { action: 'self.manage', temporaryPassword: true },
  'GET /v1/me': { action: 'self.manage' },
  'POST /v1/me/password': { action: 'self.manage', temporaryPassword: true },
  'GET /v1/audit-events': { action: 'audit.read' },
  'GET /v1/users': { action: 'user.read' },
  'POST /v1/users': { action: 'user.manage' },
  'GET /v1/users/:id': { action: 'user.read', object: 'userOfA' },
  'PATCH /v1/users/:id': { action: 'user.manage', object: 'userOfA' },
  'DELETE /v1/users/:id': { action: 'user.manage', object: 'userOfA' },
  'POST /v1/users/:id/reset-password': { action: 'user.manage', object: 'userOfA' },
  'POST /v1/tenants': { action: 'tenant.manage' },
  'GET /v1/tenants': { action: 'tenant.manage' },
  'GET /v1/tenants/:id': { action: 'tenant.manage' },
  'PATCH /v1/tenants/:id': { action: 'tenant.manage' },
  'PUT /v1/tenants/:id/legal-hold': { action: 'tenant.manage' },
  'POST /v1/tenants/:id/admins': { action: 'tenant.manage' },
  'POST /v1/tenants/:id/admins/:userId/reset-password': { action: 'tenant.manage' },
  'POST /v1/announcements': { action: 'tenant.manage' },
  'POST /v1/incidents': { action: 'tenant.manage' },
  'GET /v1/incidents': { action: 'tenant.manage' },
  'GET /v1/albums': { action: 'album.read', object: 'albumList' },
  'POST /v1/albums': { action: 'album.create' },
  'GET /v1/albums/:albumId': inAlbum('album.read'),
  'PATCH /v1/albums/:albumId': inAlbum('album.update'),
  'POST /v1/albums/:albumId/archive': inAlbum('album.update'),
  'DELETE /v1/albums/:albumId': inAlbum('album.update'),
  'GET /v1/albums/:albumId/members': inAlbum('album.read'),
  'POST /v1/albums/:albumId/members': inAlbum('album.members.manage'),
  'DELETE /v1/albums/:albumId/members/:userId': inAlbum('album.members.manage'),
  'GET /v1/albums/:albumId/changes': inAlbum('album.read'),
  'GET /v1/albums/:albumId/pages': inAlbum('page.read'),
  'GET /v1/albums/:albumId/pages/:pageId': inAlbum('page.read'),
  'POST /v1/albums/:albumId/pages': inAlbum('page.edit'),
  'PUT /v1/albums/:albumId/pages/:pageId': inAlbum('page.edit'),
  'DELETE /v1/albums/:albumId/pages/:pageId': inAlbum('page.edit'),
  'POST /v1/albums/:albumId/pages/reorder': inAlbum('page.edit'),
  'POST /v1/albums/:albumId/photos/check': inAlbum('photo.upload'),
  'POST /v1/albums/:albumId/photos/uploads': inAlbum('photo.upload'),
  'POST /v1/albums/:albumId/photos/uploads/batch': inAlbum('photo.upload'),
  'POST /v1/albums/:albumId/photos/:photoId/parts': inAlbum('photo.upload'),
  'POST /v1/albums/:albumId/photos/:photoId/complete': inAlbum('photo.upload'),
  'GET /v1/albums/:albumId/photos': inAlbum('photo.read'),
  'GET /v1/albums/:albumId/photos/:photoId': inAlbum('photo.read'),
  'GET /v1/albums/:albumId/export': inAlbum('album.export'),
  'GET /v1/albums/:albumId/photos/:photoId/url': inAlbum('photo.read'),
  'GET /v1/albums/:albumId/photos/:photoId/content': inAlbum('photo.read'),
  // The local store's signed URLs: the signature is the authorisation.
  'PUT /v1/blobs/*': PUBLIC,
  'GET /v1/blobs/*': PUBLIC,
};

/**
 * `reached`: past every access check, into the handler (any answer below 500 but 401, 403 and
 * 404; the matrix's calls are made so that a handler has no other reason for those).
 */
export type ExpectedAnswer =
  | { readonly reached: true; readonly listsMatrixAlbum?: boolean }
  | { readonly status: 401 | 403 | 404; readonly code: string };

const denied = (status: 401 | 403 | 404, code: string): ExpectedAnswer => ({ status, code });

/** What `caller` must get from the route, by the tables above alone. */
export function expectedAnswer(row: RouteExpectation, caller: CallerName): ExpectedAnswer {
  if ('public' in row) return { reached: true };
  const role = ROLE_OF[caller];
  if (role === null) return denied(401, 'unauthenticated');
  if (ON_TEMPORARY_PASSWORD.includes(caller) && row.temporaryPassword !== true) {
    return denied(403, 'password_change_required');
  }
  if (!ROLES_ALLOWED[row.action].includes(role)) return denied(403, 'forbidden');
  if (row.object === 'matrixAlbum' && !SEES_MATRIX_ALBUM[caller]) return denied(404, 'not_found');
  if (row.object === 'userOfA' && !SEES_USER_OF_A[caller]) return denied(404, 'not_found');
  if (row.object === 'albumList')
    return { reached: true, listsMatrixAlbum: SEES_MATRIX_ALBUM[caller] };
  return { reached: true };
}
