import type { FastifyInstance } from 'fastify';
import { authApi } from '../../src-shared/cloud/auth.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { toTokenPairView, withRetryAfter } from './sessionReplies.js';
import type { SessionService } from './sessionService.js';

export function registerSessionRoutes(
  app: FastifyInstance,
  sessions: SessionService,
  signInFailures: { inc(): void },
): void {
  addRoute(app, authApi.signIn, {
    // Per source address, on top of the per-account throttle (P14).
    rateLimit: 'strict',
    handler: async ({ body, request, reply }) => {
      const signedIn = await withRetryAfter(
        reply,
        sessions.signIn({ ...body, sourceAddress: request.ip }),
      ).catch((error: unknown) => {
        signInFailures.inc(); // many failed sign-ins are an alert (P14)
        throw error;
      });
      return { ...toTokenPairView(signedIn), user: signedIn.user };
    },
  });

  addRoute(app, authApi.refresh, {
    handler: async ({ body, request }) =>
      toTokenPairView(
        await sessions.refresh({ refreshToken: body.refreshToken, sourceAddress: request.ip }),
      ),
  });

  addRoute(app, authApi.signOut, {
    handler: async ({ request }) => {
      await sessions.signOut(requireAuth(request), request.ip);
      return { signedOut: true as const };
    },
  });
}
