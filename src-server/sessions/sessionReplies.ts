import type { FastifyReply } from 'fastify';
import type { TokenPairView } from '../../src-shared/cloud/auth.js';
import { AccountLockedError, type TokenPair } from './sessionService.js';

export const toTokenPairView = (p: TokenPair): TokenPairView => ({
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
