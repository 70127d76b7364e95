import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../../src-shared/auth/roles.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { LoginId, PasswordInput } from '../http/schemas.js';
import { AccountLockedError, type SessionService, type TokenPair } from './sessionService.js';

export const TokenPairView = z.object({
  accessToken: z.string(),
  accessExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});

export const toTokenPairView = (p: TokenPair): z.output<typeof TokenPairView> => ({
  accessToken: p.accessToken,
  accessExpiresAt: p.accessExpiresAt.toISOString(),
  refreshToken: p.refreshToken,
  refreshExpiresAt: p.refreshExpiresAt.toISOString(),
});

/** Sets Retry-After on a lock-out before the error goes to the common error handler. */
export async function withRetryAfter<T>(reply: FastifyReply, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AccountLockedError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
    }
    throw error;
  }
}

export function registerSessionRoutes(
  app: FastifyInstance,
  sessions: SessionService,
  signInFailures: { inc(): void },
): void {
  addRoute(app, {
    method: 'POST',
    url: '/v1/auth/sign-in',
    access: { public: true },
    // Per source address, on top of the per-account throttle (P14).
    rateLimit: 'strict',
    summary: 'Sign in with a login id and password; returns an access and a refresh token',
    tags: ['auth'],
    body: z.strictObject({ loginId: LoginId, password: PasswordInput }),
    reply: TokenPairView.extend({
      user: z.object({
        id: z.string(),
        tenantId: z.string().nullable(),
        role: z.enum(ROLES),
        displayName: z.string(),
        passwordChangeRequired: z.boolean(),
      }),
    }),
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

  addRoute(app, {
    method: 'POST',
    url: '/v1/auth/refresh',
    access: { public: true },
    summary: 'Exchange a refresh token for a new token pair (the old refresh token is used up)',
    tags: ['auth'],
    body: z.strictObject({ refreshToken: z.string().max(200) }),
    reply: TokenPairView,
    handler: async ({ body, request }) =>
      toTokenPairView(
        await sessions.refresh({ refreshToken: body.refreshToken, sourceAddress: request.ip }),
      ),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/auth/sign-out',
    access: { action: 'self.manage', allowWithTemporaryPassword: true },
    summary: "End the caller's session and every token refreshed from it",
    tags: ['auth'],
    reply: z.object({ signedOut: z.literal(true) }),
    handler: async ({ request }) => {
      await sessions.signOut(requireAuth(request), request.ip);
      return { signedOut: true as const };
    },
  });
}
