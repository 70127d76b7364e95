import type { FastifyInstance } from 'fastify';
import type { GeoConfig, RateLimitConfig } from '../config.js';
import type { Db } from '../db/db.js';
import type { CountryLookup } from '../geo/countryLookup.js';
import { createGeoPolicy } from '../geo/geoPolicy.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { installAccessLog } from './accessLog.js';
import { createAccessLogWriter } from './accessLogWriter.js';
import { installGeoGuard } from './geoGuard.js';
import { installRateLimits } from './rateLimit.js';
import { installRequestMetrics } from './requestMetrics.js';

export interface RequestPipelineDeps {
  readonly db: Db;
  readonly config: {
    readonly geo: GeoConfig;
    readonly rateLimit: RateLimitConfig;
    readonly behindProxy: boolean;
  };
  /** Loaded once at start (about a second) and shared; no network look-up (P7). */
  readonly countryLookup: CountryLookup;
  readonly metrics: ServerMetrics;
  /** The server's clock: access-log rows are stamped with it. */
  readonly now: () => Date;
  /** The shared rate-limit windows' clock (tests); default the database's. */
  readonly rateLimitClock?: () => Date;
}

/** A database outage must not turn into a log line per request. */
const DROP_WARNING_INTERVAL_MS = 60_000;

/**
 * What every request goes through before the token check, in this order (onRequest):
 * geo restriction (P7), then the per-address rate limits (P14). And after every response:
 * request metrics (P14) and one access-log row (P13). Install before the token check and the
 * routes, so that a refused address costs neither a session look-up nor body parsing.
 */
export async function installRequestPipeline(
  app: FastifyInstance,
  deps: RequestPipelineDeps,
): Promise<void> {
  installRequestMetrics(app, deps.metrics);
  let dropped = 0;
  let lastWarning = 0;
  const writer = createAccessLogWriter({
    db: deps.db,
    onDropped: (count, error) => {
      deps.metrics.accessLogDropped.inc(count);
      dropped += count;
      const now = Date.now();
      if (now - lastWarning < DROP_WARNING_INTERVAL_MS) return;
      lastWarning = now;
      // Only the error's class and SQLSTATE: a driver message can quote a value of the rows.
      const code = (error as { code?: unknown }).code;
      app.log.warn(
        {
          errorType: error instanceof Error ? error.name : typeof error,
          ...(typeof code === 'string' ? { code } : {}),
          droppedSinceLastWarning: dropped,
        },
        'access log: rows could not be written',
      );
      dropped = 0;
    },
  });
  installAccessLog(app, writer, deps.now);
  installGeoGuard(app, {
    policy: createGeoPolicy(deps.countryLookup, deps.config.geo),
    metrics: deps.metrics,
    requireForwardedFor: deps.config.behindProxy,
  });
  await installRateLimits(app, {
    db: deps.db,
    config: deps.config.rateLimit,
    metrics: deps.metrics,
    ...(deps.rateLimitClock === undefined ? {} : { clock: deps.rateLimitClock }),
  });
}
