import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../../src-shared/auth/roles.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { DisplayName, Email, IdParams, LoginId } from '../http/schemas.js';
import type { IssuedAccount, UserService } from './userService.js';
import {
  IssuedAccountView,
  ResetPasswordView,
  toResetPasswordView,
  toUserView,
  UserView,
} from './userView.js';

export const toIssuedAccountView = (a: IssuedAccount): z.output<typeof IssuedAccountView> => ({
  user: toUserView(a.user),
  temporaryPassword: a.temporaryPassword,
  temporaryPasswordExpiresAt: a.temporaryPasswordExpiresAt.toISOString(),
});

/**
 * A tenant admin's user management, always inside the caller's own tenant: a user of another
 * tenant answers 404 exactly like a missing one (P15).
 */
export function registerUserRoutes(app: FastifyInstance, users: UserService): void {
  addRoute(app, {
    method: 'GET',
    url: '/v1/users',
    access: { action: 'user.read' },
    summary: "The users of the caller's tenant",
    tags: ['users'],
    reply: z.object({ users: z.array(UserView) }),
    handler: async ({ request }) => ({
      users: (await users.list(requireAuth(request))).map(toUserView),
    }),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/users',
    access: { action: 'user.manage' },
    summary: 'Create a user with a temporary password (returned once)',
    tags: ['users'],
    status: 201,
    body: z.strictObject({
      loginId: LoginId,
      displayName: DisplayName,
      email: Email.optional(),
      role: z.enum(ROLES),
    }),
    reply: IssuedAccountView,
    handler: async ({ body, request }) =>
      toIssuedAccountView(
        await users.create(requireAuth(request), request.ip, {
          ...body,
          email: body.email ?? null,
        }),
      ),
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/users/:id',
    access: { action: 'user.read' },
    summary: "A user of the caller's tenant",
    tags: ['users'],
    params: IdParams,
    reply: UserView,
    handler: async ({ params, request }) =>
      toUserView(await users.get(requireAuth(request), params.id)),
  });

  addRoute(app, {
    method: 'PATCH',
    url: '/v1/users/:id',
    access: { action: 'user.manage' },
    summary:
      'Change role, disable or enable, or change name or e-mail (ends sessions on role or disable)',
    tags: ['users'],
    params: IdParams,
    body: z.strictObject({
      role: z.enum(ROLES).optional(),
      disabled: z.boolean().optional(),
      displayName: DisplayName.optional(),
      email: Email.nullable().optional(),
    }),
    reply: UserView,
    handler: async ({ params, body, request }) =>
      toUserView(await users.update(requireAuth(request), request.ip, params.id, body)),
  });

  addRoute(app, {
    method: 'DELETE',
    url: '/v1/users/:id',
    access: { action: 'user.manage' },
    summary: 'Delete a user: personal data is erased at once, sessions end',
    tags: ['users'],
    params: IdParams,
    reply: z.object({ id: z.string(), deletedAt: z.string() }),
    handler: async ({ params, request }) => {
      const at = await users.remove(requireAuth(request), request.ip, params.id);
      return { id: params.id, deletedAt: at.toISOString() };
    },
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/users/:id/reset-password',
    access: { action: 'user.manage' },
    summary: 'Give a user a new temporary password (returned once); their sessions end',
    tags: ['users'],
    params: IdParams,
    reply: ResetPasswordView,
    handler: async ({ params, request }) =>
      toResetPasswordView(await users.resetPassword(requireAuth(request), request.ip, params.id)),
  });
}
