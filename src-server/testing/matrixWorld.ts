import { expect } from 'vitest';
import type { Role } from '../../src-shared/auth/roles.js';
import {
  as,
  bootstrapOperator,
  createMember,
  signIn,
  tenantWithAdmin,
  type Session,
} from './accountFixtures.js';
import { addMemberAs, createAlbumAs, pageFor, uploadReadyPhoto } from './albumFixtures.js';
import { CALLER_NAMES, ROLE_OF, type CallerName } from './matrixExpectations.js';
import type { TestServer } from './testServer.js';

/** One caller of the authorization matrix (matrixExpectations.ts names them all). */
export interface MatrixCaller {
  readonly name: CallerName;
  /** null for the operator and for nobody. */
  readonly tenant: 'A' | 'B' | 'C' | null;
  readonly loginId: string;
  readonly password: string;
  readonly session: Session | null;
}

/** Everything the matrix's calls act on, made through the API of `server`. */
export interface MatrixWorld {
  readonly server: TestServer;
  readonly operator: Session;
  readonly tenantIds: Record<'A' | 'B' | 'C', string>;
  readonly admins: Record<'A' | 'B' | 'C', Session>;
  /** Unused refresh tokens, one used up per call of the refresh route. */
  readonly refreshTokens: string[];
  /** Album of studio A for school C, with designer@A and school_staff@C as members. */
  readonly albumId: string;
  readonly memberIds: { readonly A: string; readonly C: string };
  /** A ready photo of the album and one of its pages. */
  readonly photoId: string;
  readonly pageId: string;
  readonly callers: readonly MatrixCaller[];
}

const passwordOf = (loginId: string) => `${loginId}-pass-2026`;

/**
 * Three tenants (studios A and B, school C), a user of every role in each, the matrix album
 * with a page and a ready photo, and `refreshTokenCount` unused refresh tokens.
 */
export async function buildMatrixWorld(
  server: TestServer,
  now: () => Date,
  refreshTokenCount: number,
): Promise<MatrixWorld> {
  const operator = await bootstrapOperator(server, now);
  const a = await tenantWithAdmin(server, operator, 'studio', 'matrix-a-admin');
  const b = await tenantWithAdmin(server, operator, 'studio', 'matrix-b-admin');
  const c = await tenantWithAdmin(server, operator, 'school', 'matrix-c-admin');
  const admins = { A: a.admin, B: b.admin, C: c.admin };
  const tenantIds = { A: a.tenantId, B: b.tenantId, C: c.tenantId };
  const callers: MatrixCaller[] = [];
  const ids = new Map<CallerName, string>();

  const admin = (name: CallerName, tenant: 'A' | 'B' | 'C', loginId: string) =>
    callers.push({ name, tenant, loginId, password: passwordOf(loginId), session: admins[tenant] });
  const member = async (name: CallerName, tenant: 'A' | 'B' | 'C', loginId: string) => {
    const role = ROLE_OF[name] as Role;
    const made = await createMember(server, admins[tenant], { loginId, displayName: name, role });
    ids.set(name, made.id);
    callers.push({ name, tenant, loginId, password: made.password, session: made.session });
  };
  /** Signed in with the temporary password, never changed: only self-service routes (P6). */
  const temporary = async (name: CallerName, tenant: 'A' | 'B' | 'C', loginId: string) => {
    const made = await as(server, admins[tenant].accessToken)('/v1/users', 'POST', {
      loginId,
      displayName: name,
      role: ROLE_OF[name],
    });
    expect(made.status).toBe(201);
    const { temporaryPassword } = made.json as { temporaryPassword: string };
    const res = await signIn(server, loginId, temporaryPassword);
    expect(res.status).toBe(200);
    const session = res.json as Session & { user: { passwordChangeRequired: boolean } };
    expect(session.user.passwordChangeRequired).toBe(true);
    callers.push({ name, tenant, loginId, password: temporaryPassword, session });
  };

  callers.push({ name: 'nobody', tenant: null, loginId: '', password: '', session: null });
  admin('studio_admin@A', 'A', 'matrix-a-admin');
  await member('designer@A', 'A', 'matrix-a-designer');
  await member('designer@A(out)', 'A', 'matrix-a-designer-out');
  await temporary('designer@A(temporary)', 'A', 'matrix-a-designer-temporary');
  admin('studio_admin@B', 'B', 'matrix-b-admin');
  await member('designer@B', 'B', 'matrix-b-designer');
  admin('school_admin@C', 'C', 'matrix-c-admin');
  await member('school_staff@C', 'C', 'matrix-c-staff');
  await member('school_staff@C(out)', 'C', 'matrix-c-staff-out');
  callers.push({
    name: 'operator',
    tenant: null,
    loginId: 'operator',
    password: 'operator-password-2026',
    session: operator,
  });
  // The expectation tables and this world must name the same callers.
  expect(callers.map((caller) => caller.name)).toEqual([...CALLER_NAMES]);

  const memberIds = { A: ids.get('designer@A') as string, C: ids.get('school_staff@C') as string };
  const albumId = await createAlbumAs(server, a.admin.accessToken, c.tenantId);
  await addMemberAs(server, a.admin.accessToken, albumId, memberIds.A);
  await addMemberAs(server, c.admin.accessToken, albumId, memberIds.C);
  const page = await as(server, a.admin.accessToken)(
    `/v1/albums/${albumId}/pages`,
    'POST',
    pageFor(albumId, { id: 'matrix-page' }),
  );
  expect(page.status).toBe(201);
  const refreshTokens: string[] = [];
  for (let i = 0; i < refreshTokenCount; i++) {
    const fresh = await signIn(server, 'matrix-b-designer', passwordOf('matrix-b-designer'));
    refreshTokens.push((fresh.json as Session).refreshToken);
  }
  return {
    server,
    operator,
    tenantIds,
    admins,
    refreshTokens,
    albumId,
    memberIds,
    photoId: await uploadReadyPhoto(server, a.admin.accessToken, albumId),
    pageId: 'matrix-page',
    callers,
  };
}
