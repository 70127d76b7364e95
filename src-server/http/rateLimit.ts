import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import type { Db } from '../db/db.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { ApiError } from './apiError.js';
import { pgRateLimitStore } from './pgRateLimitStore.js';
import { PROBE_ROUTES } from './probeRoutes.js';

/**
 * `strict`: the route also gets the tighter per-address limit (`rateLimit.strictMax` per window,
 * counted per route), on top of the general one. For sign-in and other password-guessing
 * targets; set it with addRoute's `rateLimit: 'strict'`.
 */
export type RateLimitTier = 'strict';

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimitTier?: RateLimitTier;
  }
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** IPv6 clients usually hold a whole /64: counting per address would let them rotate freely. */
const IPV6_PREFIX = 64;

const clientKey = (request: FastifyRequest): string => normalizeIP(request.ip, IPV6_PREFIX);

async function enforce(
  limiter: Limiter,
  which: 'general' | 'strict',
  request: FastifyRequest,
  reply: FastifyReply,
  metrics: ServerMetrics,
): Promise<void> {
  const result = await limiter(request);
  if (result.isAllowed) return;
  const retryAfter = Math.max(1, result.ttlInSeconds);
  reply.header('x-ratelimit-limit', result.max);
  reply.header('x-ratelimit-remaining', result.remaining);
  reply.header('x-ratelimit-reset', retryAfter);
  if (!result.isExceeded) return;
  reply.header('retry-after', retryAfter);
  metrics.rateLimited.inc({ limit: which });
  throw new ApiError(
    429,
    'rate_limited',
    `Too many requests from this address; retry in ${retryAfter} s (リクエストが多すぎます)`,
  );
}

/**
 * Per-source-address limits (P14): the general one per instance in memory, the strict one
 * counted in PostgreSQL so that every instance sees the same counts. Installed as one onRequest hook after the geo guard and before the token check: a
 * flood costs one small upsert per request, never a token or password check, and unknown
 * routes (scanners) are counted too. Keyed by `request.ip`, the address the geo guard judged.
 * Fails closed: if the database cannot count, the request gets 500 rather than no limit.
 */
export async function installRateLimits(
  app: FastifyInstance,
  deps: {
    db: Db;
    config: RateLimitConfig;
    metrics: ServerMetrics;
    /** The shared windows' clock (tests); default the database's. */
    clock?: () => Date;
  },
): Promise<void> {
  const timeWindow = deps.config.windowSeconds * 1000;
  await app.register(rateLimit, {
    // No route hooks of the plugin's own: the hook below orders the limits before auth.
    // A route may still carry the plugin's `config.rateLimit`; it then runs at route level.
    global: false,
    max: deps.config.max,
    timeWindow,
    keyGenerator: clientKey,
    store: pgRateLimitStore({
      db: deps.db,
      onSweepError: (error) => app.log.warn({ err: error }, 'rate limit: sweeping old windows'),
      ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    }),
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'rate_limited',
        `Too many requests from this address; retry in ${Math.max(1, Math.ceil(context.ttl / 1000))} s (リクエストが多すぎます)`,
      ),
    onExceeded: () => deps.metrics.rateLimited.inc({ limit: 'route' }),
  });
  // The general flood guard is counted per instance, in memory: a database write per request
  // would cost more than the request it guards (bench:server). With N instances an address may
  // send up to N times the limit; the limits that protect passwords (strict, and the
  // per-account throttle) stay exact and shared in PostgreSQL. See docs/decisions.md.
  const general = app.createRateLimit({
    keyGenerator: (request) => `all|${clientKey(request)}`,
    perInstance: true,
  } as Parameters<FastifyInstance['createRateLimit']>[0]);
  const strict = app.createRateLimit({
    max: deps.config.strictMax,
    keyGenerator: (request) =>
      `strict|${request.method} ${request.routeOptions.url}|${clientKey(request)}`,
  });
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== undefined && PROBE_ROUTES.has(route)) return;
    await enforce(general, 'general', request, reply, deps.metrics);
    if (request.routeOptions.config.rateLimitTier === 'strict') {
      await enforce(strict, 'strict', request, reply, deps.metrics);
    }
  });
}
