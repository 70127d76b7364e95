import type { FastifyInstance, RouteOptions } from 'fastify';
import { ACTIONS, type Action } from '../../src-shared/auth/roles.js';
import { ApiError } from './apiError.js';

/**
 * What a route needs: one action from the shared roles table, or explicitly nothing. There is
 * no third choice, so a forgotten declaration cannot become an open route (P5, deny by default).
 */
export type RouteAccess = { readonly public: true } | { readonly action: Action };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);

export function isValidAccess(access: unknown): access is RouteAccess {
  if (typeof access !== 'object' || access === null) return false;
  const record = access as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== 1) return false;
  return record['public'] === true || isAction(record['action']);
}

export class RouteAccessError extends Error {
  readonly code = 'route_access_undeclared';
}

/**
 * Must be installed before any route: every route registered afterwards is checked, and one
 * without a valid declaration stops the server from starting.
 */
export function requireRouteAccess(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const access: unknown = route.config?.access;
    if (!isValidAccess(access)) {
      const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
      throw new RouteAccessError(
        `Route ${methods} ${route.url} must declare config.access as { action } with an action ` +
          'from src-shared/auth/roles.ts ACTIONS, or { public: true }',
      );
    }
  });
}

/**
 * Deny by default. Public routes pass; every other route is refused until the token check
 * (next step) is in place. Runs in onRequest, before the body is even read, so an unknown
 * route or an unauthenticated caller costs no body parsing.
 */
export function denyUnlessPublic(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.is404) return done(new ApiError(404, 'not_found', 'Not found'));
    const access = request.routeOptions.config.access;
    if (access !== undefined && 'public' in access) return done();
    done(new ApiError(401, 'unauthenticated', 'Sign-in required'));
  });
}
