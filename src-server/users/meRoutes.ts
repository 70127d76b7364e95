import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { PasswordInput } from '../http/schemas.js';
import { toTokenPairView, TokenPairView, withRetryAfter } from '../sessions/sessionRoutes.js';
import type { SessionService } from '../sessions/sessionService.js';
import type { UserService } from './userService.js';
import { toUserView, UserView } from './userView.js';

export function registerMeRoutes(
  app: FastifyInstance,
  deps: { users: UserService; sessions: SessionService },
): void {
  addRoute(app, {
    method: 'GET',
    url: '/v1/me',
    access: { action: 'self.manage' },
    summary: 'The signed-in user',
    tags: ['me'],
    reply: UserView,
    handler: ({ request }) => toUserView(deps.users.me(requireAuth(request))),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/me/password',
    access: { action: 'self.manage', allowWithTemporaryPassword: true },
    summary: 'Change the own password; ends every session and returns a fresh token pair',
    tags: ['me'],
    body: z.strictObject({ currentPassword: PasswordInput, newPassword: PasswordInput }),
    reply: TokenPairView,
    handler: async ({ body, request, reply }) =>
      toTokenPairView(
        await withRetryAfter(
          reply,
          deps.sessions.changePassword(requireAuth(request), {
            ...body,
            sourceAddress: request.ip,
          }),
        ),
      ),
  });
}
