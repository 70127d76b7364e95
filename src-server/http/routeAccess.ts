import type { FastifyInstance, RouteOptions } from 'fastify';
import { ACTIONS, can, type Action } from '../../src-shared/auth/roles.js';
import type { RouteAccess } from '../../src-shared/cloud/routeSpec.js';
import { recordAudit } from '../audit/auditLog.js';
import { bearerToken } from '../auth/tokens.js';
import type { Queryable } from '../db/db.js';
import { ApiError } from './apiError.js';
import type { AuthContext } from './authContext.js';

/** One row per registered route: what the authorization matrix test walks. */
export interface RouteTableEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every route with its declared access, filled as routes are registered. */
    routeTable: RouteTableEntry[];
  }
}

const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);

export function isValidAccess(access: unknown): access is RouteAccess {
  if (typeof access !== 'object' || access === null) return false;
  const record = access as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 2 && 'allowWithTemporaryPassword' in record) {
    // Only a self-service route can be opened to a password-change-only session.
    return record['allowWithTemporaryPassword'] === true && record['action'] === 'self.manage';
  }
  if (keys.length !== 1) return false;
  return record['public'] === true || isAction(record['action']);
}

export class RouteAccessError extends Error {
  readonly code = 'route_access_undeclared';
}

/**
 * Test seam, for authorizationMutations.test.ts only: deliberately wrong access for some routes
 * (keyed `METHOD /url`), put in place of their declarations as they are registered, to prove
 * the authorization matrix notices. The server never sets it.
 */
export type RouteAccessMutations = ReadonlyMap<string, RouteAccess>;

/**
 * Must be installed before any route: every route registered afterwards is checked, and one
 * without a valid declaration stops the server from starting.
 */
export function requireRouteAccess(
  app: FastifyInstance,
  mutations: RouteAccessMutations = new Map(),
): void {
  app.decorate('routeTable', [] as RouteTableEntry[]);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const mutated = mutations.get(`${methods.join(',')} ${route.url}`);
    // In place: Fastify's automatic HEAD twin shares this config object.
    if (mutated !== undefined && route.config !== undefined) route.config.access = mutated;
    const access: unknown = route.config?.access;
    if (!isValidAccess(access)) {
      throw new RouteAccessError(
        `Route ${methods.join(',')} ${route.url} must declare config.access as { action } with ` +
          'an action from src-shared/auth/roles.ts ACTIONS, or { public: true }',
      );
    }
    // HEAD routes are Fastify's automatic twins of GET ones: the same handler, the same access.
    for (const method of methods) {
      if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, access });
    }
  });
}

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * After the contract ends a tenant is read-only (P4), but its users can still sign out, change
 * their password and export their data (P1) until the purge.
 */
const ALLOWED_AFTER_CONTRACT_END = new Set<Action>(['self.manage', 'album.export']);

export interface RouteGuardDeps {
  /** The session behind an access token, or why there is none. */
  readonly authenticate: (
    accessToken: string,
  ) => Promise<AuthContext | 'unauthenticated' | 'session_expired'>;
  /** Where `access.denied` events are written. */
  readonly audit: Queryable;
}

/**
 * Deny by default, in onRequest (before the body is read): an unknown route answers 404 before
 * any authentication, so probing costs no body parsing and tells nothing. Public routes pass.
 * Every other route needs a live session (`Authorization: Bearer`, never a URL parameter),
 * then a role allowed the route's action; a password-change-only session reaches only the
 * routes marked for it. Object-level checks (which tenant) follow in the handlers.
 */
export function guardRoutes(app: FastifyInstance, deps: RouteGuardDeps): void {
  app.addHook('onRequest', async (request) => {
    if (request.is404) throw new ApiError(404, 'not_found', 'Not found');
    const access = request.routeOptions.config.access;
    if (access !== undefined && 'public' in access) return;
    const token = bearerToken(request.headers.authorization);
    if (access === undefined || token === undefined) {
      throw new ApiError(401, 'unauthenticated', 'Sign-in required');
    }
    const found = await deps.authenticate(token);
    if (found === 'unauthenticated') throw new ApiError(401, 'unauthenticated', 'Sign-in required');
    if (found === 'session_expired') {
      throw new ApiError(401, 'session_expired', 'The session has expired; refresh or sign in');
    }
    request.auth = found;
    if (found.passwordChangeRequired && access.allowWithTemporaryPassword !== true) {
      throw new ApiError(
        403,
        'password_change_required',
        'Change the temporary password before doing anything else',
      );
    }
    if (!can(found.role, access.action)) {
      await recordAudit(deps.audit, {
        tenantId: found.tenantId,
        actorId: found.userId,
        action: 'access.denied',
        outcome: 'denied',
        targetType: 'route',
        targetId: `${request.method} ${request.routeOptions.url ?? ''}`,
        sourceAddress: request.ip,
        details: { action: access.action, role: found.role },
      });
      throw new ApiError(403, 'forbidden', 'Your role does not allow this');
    }
    if (found.contractEnded && !READ_ONLY_METHODS.has(request.method)) {
      if (!ALLOWED_AFTER_CONTRACT_END.has(access.action)) {
        throw new ApiError(
          403,
          'contract_ended',
          'The contract has ended: data can be read and exported but not changed',
        );
      }
    }
  });
}
