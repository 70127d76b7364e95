import type { FastifyInstance } from 'fastify';
import { userApi } from '../../src-shared/cloud/users.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { UserService } from './userService.js';
import { toIssuedAccountView, toResetPasswordView, toUserView } from './userView.js';

/**
 * A tenant admin's user management, always inside the caller's own tenant: a user of another
 * tenant answers 404 exactly like a missing one (P15).
 */
export function registerUserRoutes(app: FastifyInstance, users: UserService): void {
  addRoute(app, userApi.list, {
    handler: async ({ request }) => ({
      users: (await users.list(requireAuth(request))).map(toUserView),
    }),
  });

  addRoute(app, userApi.create, {
    handler: async ({ body, request }) =>
      toIssuedAccountView(
        await users.create(requireAuth(request), request.ip, {
          ...body,
          email: body.email ?? null,
        }),
      ),
  });

  addRoute(app, userApi.get, {
    handler: async ({ params, request }) =>
      toUserView(await users.get(requireAuth(request), params.id)),
  });

  addRoute(app, userApi.update, {
    handler: async ({ params, body, request }) =>
      toUserView(await users.update(requireAuth(request), request.ip, params.id, body)),
  });

  addRoute(app, userApi.remove, {
    handler: async ({ params, request }) => {
      const at = await users.remove(requireAuth(request), request.ip, params.id);
      return { id: params.id, deletedAt: at.toISOString() };
    },
  });

  addRoute(app, userApi.resetPassword, {
    handler: async ({ params, request }) =>
      toResetPasswordView(await users.resetPassword(requireAuth(request), request.ip, params.id)),
  });
}
