import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics (P14), in a registry of its own: prom-client's global default
 * registry would be shared by every server in a process (tests start many) and fill up with
 * duplicate names. Created by the composition root and passed in as a dependency.
 *
 * Labels hold only bounded values: route patterns (never raw URLs), methods, status codes,
 * country codes. Never an address, id or token.
 */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpRequestDuration: Histogram<'method' | 'route'>;
  /** Sign-in attempts that failed, for any reason (wrong password, throttled, disabled). */
  readonly signInFailures: Counter;
  /** Requests refused by the geo restriction, by the country the address belongs to. */
  readonly geoBlocked: Counter<'country'>;
  /** Requests answered 429, by which limit they hit. */
  readonly rateLimited: Counter<'limit'>;
  /** Access-log rows lost because the database could not take them. */
  readonly accessLogDropped: Counter;
}

/** Route label for requests that matched no route: a bounded value instead of the raw URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'weebum_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'weebum_http_request_duration_seconds',
      help: 'Time from request to response, by method and route pattern',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    signInFailures: new Counter({
      name: 'weebum_sign_in_failures_total',
      help: 'Failed sign-in attempts',
      registers,
    }),
    geoBlocked: new Counter({
      name: 'weebum_geo_blocked_total',
      help: 'Requests refused because of their source country (unknown: not in the dataset)',
      labelNames: ['country'] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: 'weebum_rate_limited_total',
      help: 'Requests answered 429, by limit (general or strict)',
      labelNames: ['limit'] as const,
      registers,
    }),
    accessLogDropped: new Counter({
      name: 'weebum_access_log_dropped_total',
      help: 'Access log rows that could not be written',
      registers,
    }),
  };
}
