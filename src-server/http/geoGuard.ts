import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { GeoPolicy } from '../geo/geoPolicy.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { ApiError } from './apiError.js';
import { PROBE_ROUTES } from './probeRoutes.js';

export const GEO_BLOCKED_MESSAGE =
  'Access is limited to Japan (日本国内からのみご利用いただけます)';

/**
 * Refuses requests whose source address is outside the allowed countries (P7, P18). Runs first
 * in onRequest, before the rate limit and the token check, so a blocked address costs no
 * database call and no body parsing. `request.ip` is the derived client address: Fastify's
 * trustProxy believes X-Forwarded-For only from the configured proxies.
 */
export function installGeoGuard(
  app: FastifyInstance,
  deps: {
    policy: GeoPolicy;
    metrics: ServerMetrics;
    /** Behind a proxy: a request that does not say whom it is for is the proxy's own or forged. */
    requireForwardedFor: boolean;
  },
): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && PROBE_ROUTES.has(route)) return done();
    if (deps.requireForwardedFor && request.headers['x-forwarded-for'] === undefined) {
      deps.metrics.geoBlocked.inc({ country: 'no_forwarded_for' });
      return done(new ApiError(403, 'geo_blocked', GEO_BLOCKED_MESSAGE));
    }
    const address = request.ip;
    // A trusted proxy can still forward something that is not an address; it cannot be placed
    // in an allowed country, so it is refused even when unknown addresses are allowed.
    if (typeof address !== 'string' || isIP(address) === 0) {
      deps.metrics.geoBlocked.inc({ country: 'invalid' });
      return done(new ApiError(403, 'geo_blocked', GEO_BLOCKED_MESSAGE));
    }
    const decision = deps.policy.decide(address);
    if (decision.allowed) return done();
    deps.metrics.geoBlocked.inc({ country: decision.country ?? 'unknown' });
    done(new ApiError(403, 'geo_blocked', GEO_BLOCKED_MESSAGE));
  });
}
