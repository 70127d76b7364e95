import type { FastifyRequest } from 'fastify';
import { ApiError } from './apiError.js';
import type { AuthContext } from './authContext.js';

/**
 * The caller of a non-public route. The route guard has set it before any handler runs; if it
 * is somehow missing, refuse rather than act for nobody.
 */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (request.auth === undefined) throw new ApiError(401, 'unauthenticated', 'Sign-in required');
  return request.auth;
}
