import type { FastifyInstance } from 'fastify';
import { meApi } from '../../src-shared/cloud/me.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { toTokenPairView, withRetryAfter } from '../sessions/sessionReplies.js';
import type { SessionService } from '../sessions/sessionService.js';
import type { UserService } from './userService.js';
import { toUserView } from './userView.js';

export function registerMeRoutes(
  app: FastifyInstance,
  deps: { users: UserService; sessions: SessionService },
): void {
  addRoute(app, meApi.get, {
    handler: ({ request }) => toUserView(deps.users.me(requireAuth(request))),
  });

  addRoute(app, meApi.changePassword, {
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
