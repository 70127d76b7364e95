import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { pgRateLimitStore } from './pgRateLimitStore.js';
import { defineRoute } from '../../src-shared/cloud/routeSpec.js';
import { addRoute } from './route.js';

function limitedRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    defineRoute({
      method: 'GET',
      path: '/v1/test/ping',
      access: { public: true },
      summary: 'test: general limit only',
      reply: z.object({}),
    }),
    {
      handler: () => ({}),
    },
  );
  addRoute(
    app,
    defineRoute({
      method: 'POST',
      path: '/v1/test/sign-in-like',
      access: { public: true },
      summary: 'test: strict limit',
      reply: z.object({}),
    }),
    {
      rateLimit: 'strict',
      handler: () => ({}),
    },
  );
}

const LIMITS = { max: 5, strictMax: 2, windowSeconds: 3600 };

/**
 * The shared windows' clock starts 50 minutes before its hour-long window ends, and moves only
 * when a test moves it: no sequence of requests straddles a window by chance.
 */
const START = Date.parse('2031-04-01T00:10:00Z');

/** One count of `key` in hour-long windows, as the plugin asks the store. */
const increment = (store: FastifyRateLimitStore, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    store.incr(
      key,
      (error, result) => (result ? resolve(result) : reject(error ?? new Error('no result'))),
      LIMITS.windowSeconds * 1000,
      1000,
    ),
  );

/** Japanese addresses from the shipped dataset, one per simulated client. */
const client = (n: number) => `1.0.16.${n}`;

describe.each(DIALECTS)('per-address rate limits on %s (P14)', (dialect) => {
  let server: TestServer;
  let clockAt = START;
  const clock = () => new Date(clockAt);
  beforeAll(async () => {
    server = await startTestServer({
      dialect,
      config: { behindProxy: true, trustedProxies: ['127.0.0.1'], rateLimit: LIMITS },
      extraRoutes: limitedRoutes,
      rateLimitClock: clock,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const from = (address: string, path = '/v1/test/ping', method = 'GET') =>
    server.request(path, { method, headers: { 'x-forwarded-for': address } });

  it('answers 429 rate_limited with Retry-After once an address exceeds the limit', async () => {
    for (let i = 1; i <= LIMITS.max; i++) {
      const res = await from(client(1));
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(LIMITS.max - i));
    }
    const limited = await from(client(1));
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: { code: 'rate_limited' } });
    expect((limited.json as { error: { message: string } }).error.message).toMatch(
      /^Too many requests from this address; retry in \d+ s/,
    );
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LIMITS.windowSeconds);
  });

  it('counts each address on its own, and leaves the probes alone', async () => {
    expect((await from(client(1))).status).toBe(429);
    expect((await from(client(2))).status).toBe(200);
    expect((await from(client(1), '/healthz')).status).toBe(200);
    expect((await from(client(1), '/readyz')).status).toBe(200);
  });

  it('applies the strict limit on routes marked strict, on top of the general one', async () => {
    const signIn = () => from(client(3), '/v1/test/sign-in-like', 'POST');
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).toBe(200);
    const limited = await signIn();
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: { code: 'rate_limited' } });
    // 50 minutes left of the window on the shared clock.
    expect(limited.headers['retry-after']).toBe('3000');
    // The general count goes on: 3 so far, 2 more allowed on other routes.
    expect((await from(client(3))).status).toBe(200);
    expect((await from(client(3))).status).toBe(200);
    expect((await from(client(3))).status).toBe(429);
  });

  it('counts requests to unknown routes too (scanners), and before authentication', async () => {
    for (let i = 0; i < LIMITS.max; i++) {
      expect((await from(client(4), '/v1/nothing-here')).status).toBe(404);
    }
    expect((await from(client(4), '/v1/nothing-here')).status).toBe(429);
    expect((await from(client(5), '/v1/me')).status).not.toBe(429);
    for (let i = 1; i < LIMITS.max; i++) await from(client(5), '/v1/me');
    expect((await from(client(5), '/v1/me')).status).toBe(429);
  });

  it('counts an IPv6 client by its /64', async () => {
    for (let i = 1; i <= LIMITS.max; i++) {
      expect((await from(`2001:218:2000:52::${i}`)).status).toBe(200);
    }
    expect((await from('2001:218:2000:52:ffff::1')).status).toBe(429);
  });

  it('counts 429s in the metrics by limit', async () => {
    const { values } = await server.metrics.rateLimited.get();
    expect(values.find((v) => v.labels.limit === 'general')?.value).toBeGreaterThan(0);
    expect(values.find((v) => v.labels.limit === 'strict')?.value).toBe(1);
  });

  it('starts the strict count afresh when the window ends, not a moment before', async () => {
    const signIn = () => from(client(7), '/v1/test/sign-in-like', 'POST');
    clockAt = START;
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).toBe(429);
    clockAt = Date.parse('2031-04-01T00:59:59.999Z');
    const last = await signIn();
    expect(last.status).toBe(429);
    expect(last.headers['retry-after']).toBe('1');
    clockAt = Date.parse('2031-04-01T01:00:00Z');
    expect((await signIn()).status).toBe(200);
  });

  it('shares the strict count between instances, and keeps the general one per instance', async () => {
    clockAt = Date.parse('2031-04-01T01:20:00Z');
    const second = await startTestServer({
      dialect,
      shareDatabaseOf: server,
      config: { behindProxy: true, trustedProxies: ['127.0.0.1'], rateLimit: LIMITS },
      extraRoutes: limitedRoutes,
      rateLimitClock: clock,
    });
    try {
      const address = client(6);
      const signInVia = (s: TestServer) =>
        s.request('/v1/test/sign-in-like', {
          method: 'POST',
          headers: { 'x-forwarded-for': address },
        });
      // Alternate between the instances, as a load balancer would: the strict limit holds.
      expect((await signInVia(server)).status).toBe(200);
      expect((await signInVia(second)).status).toBe(200);
      expect((await signInVia(server)).status).toBe(429);
      expect((await signInVia(second)).status).toBe(429);
      // The general flood guard is each instance's own: each has counted 2 of 5 so far.
      const pingVia = (s: TestServer) =>
        s.request('/v1/test/ping', { headers: { 'x-forwarded-for': address } });
      for (let i = 3; i <= LIMITS.max; i++) expect((await pingVia(server)).status).toBe(200);
      expect((await pingVia(server)).status).toBe(429);
      expect((await pingVia(second)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('increments atomically under concurrency and sweeps old windows', async () => {
    const db = server.database.db;
    clockAt = Date.parse('2031-04-01T02:30:00Z');
    // Older than the longest window on the store's clock, and the window it is in now.
    await db.query(
      `INSERT INTO rate_limit_buckets (key, window_start, count)
       VALUES ('test|old', '2031-04-01T01:29:59Z', 7), ('test|current', '2031-04-01T02:00:00Z', 3)`,
    );
    const sweepErrors: unknown[] = [];
    const Store = pgRateLimitStore({ db, onSweepError: (e) => sweepErrors.push(e), clock });
    const store = new Store({});
    const results = await Promise.all(
      Array.from({ length: 40 }, () => increment(store, 'test|concurrent')),
    );
    expect(results.map((r) => r.current).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    // Half an hour left of the 02:00 window.
    expect(new Set(results.map((r) => r.ttl))).toEqual(new Set([1_800_000]));
    // The first increment of a fresh store sweeps in the background.
    const swept = async () =>
      (
        await db.query<{ key: string }>(
          `SELECT key FROM rate_limit_buckets WHERE key IN ('test|old', 'test|current')`,
        )
      ).rows.map((r) => r.key);
    await expect.poll(swept, { timeout: 20_000 }).toEqual(['test|current']);
    expect(sweepErrors).toEqual([]);
  });

  it('counts on the database clock when given none: windows aligned to it, never ahead', async () => {
    const db = server.database.db;
    const Store = pgRateLimitStore({ db, onSweepError: () => undefined });
    const store = new Store({});
    const first = await increment(store, 'test|database-clock');
    expect(first.current).toBe(1);
    expect(first.ttl).toBeGreaterThan(0);
    expect(first.ttl).toBeLessThanOrEqual(LIMITS.windowSeconds * 1000);
    const { rows } = await db.query<{ aligned: boolean; started: boolean }>(
      `SELECT extract(epoch FROM window_start)::bigint % 3600 = 0 AS aligned,
              window_start <= now() AS started
         FROM rate_limit_buckets WHERE key = 'test|database-clock'`,
    );
    expect(rows).toEqual([{ aligned: true, started: true }]);
  });
});
