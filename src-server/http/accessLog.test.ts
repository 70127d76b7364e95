import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import type { AuthContext } from './authContext.js';
import { defineRoute } from '../../src-shared/cloud/routeSpec.js';
import { addRoute } from './route.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';

function routes(app: FastifyInstance): void {
  addRoute(
    app,
    defineRoute({
      method: 'GET',
      path: '/v1/test/items/:itemId',
      access: { public: true },
      summary: 'test: a route with an id in its path',
      params: z.strictObject({ itemId: z.string() }),
      reply: z.object({}),
    }),
    {
      handler: () => ({}),
    },
  );
  // Stands in for the token check: a signed-in caller, as `request.auth` describes one.
  const caller: AuthContext = {
    userId: USER,
    tenantId: TENANT,
    role: 'studio_admin',
    sessionId: 's',
    passwordChangeRequired: false,
    contractEnded: false,
    profile: () => {
      throw new Error('the access log never reads the profile');
    },
  };
  void app.register((scoped, _options, registered) => {
    scoped.addHook('onRequest', (request, _reply, done) => {
      request.auth = caller;
      done();
    });
    addRoute(
      scoped,
      defineRoute({
        method: 'GET',
        path: '/v1/test/signed-in',
        access: { public: true },
        summary: 'test: a signed-in caller',
        reply: z.object({}),
      }),
      {
        handler: () => ({}),
      },
    );
    registered();
  });
}

interface Row extends Record<string, unknown> {
  occurred_at: Date;
  tenant_id: string | null;
  user_id: string | null;
  method: string;
  route: string;
  status: number;
  duration_ms: number;
  source_address: string | null;
}

/** The server's clock, stopped: a row's time is this minus the request's duration. */
const NOW = Date.parse('2031-04-01T09:00:00Z');

describe.each(DIALECTS)('access log on %s (P13)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect, extraRoutes: routes, now: () => new Date(NOW) });
  });
  afterAll(async () => {
    await server?.close();
  });

  const rows = async (): Promise<Row[]> =>
    (
      await server.database.db.query<Row>(
        `SELECT occurred_at, tenant_id, user_id, method, route, status, duration_ms,
                host(source_address) AS source_address
           FROM access_log ORDER BY id`,
      )
    ).rows;

  it('writes one row per request with the route pattern, never the raw URL', async () => {
    await server.request('/v1/test/items/item-98765?token=abc123&q=%E5%B1%B1%E7%94%B0');
    await server.request('/v1/nothing-here/12345?x=1');
    await server.request('/v1/test/signed-in');
    await server.request('/v1/test/items/1', { method: 'POST', body: '{}' });
    await expect.poll(async () => (await rows()).length, { timeout: 5_000 }).toBe(4);

    const logged = await rows();
    expect(logged.map((r) => [r.method, r.route, r.status])).toEqual([
      ['GET', '/v1/test/items/:itemId', 200],
      ['GET', '(unmatched)', 404],
      ['GET', '/v1/test/signed-in', 200],
      ['POST', '(unmatched)', 404],
    ]);
    for (const row of logged) {
      expect(row.source_address).toBe('127.0.0.1');
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
      // When the request came in on the server's clock (durations are rounded to the ms).
      expect(Math.abs(NOW - row.duration_ms - row.occurred_at.getTime())).toBeLessThanOrEqual(1);
    }
    const everything = JSON.stringify(logged);
    for (const leak of ['98765', 'abc123', 'token', '12345', '?', '%']) {
      expect(everything).not.toContain(leak);
    }
  });

  it('records who called when the token check identified them', async () => {
    const logged = await rows();
    const signedIn = logged.find((r) => r.route === '/v1/test/signed-in');
    expect(signedIn).toMatchObject({ tenant_id: TENANT, user_id: USER });
    const anonymous = logged.find((r) => r.route === '/v1/test/items/:itemId');
    expect(anonymous).toMatchObject({ tenant_id: null, user_id: null });
  });

  it('is the only record of requests: no log line names a URL or an address', () => {
    // Fastify's start-up line names the server's own listening address, not a client's.
    const lines = server.logs.filter((l) => !l.includes('Server listening at')).join('\n');
    for (const leak of ['98765', 'abc123', '/v1/test/items', '/v1/nothing-here', '127.0.0.1']) {
      expect(lines).not.toContain(leak);
    }
  });

  it('logs a failed write without request details, and the response is not delayed', async () => {
    const db = server.database.db;
    await db.query('ALTER TABLE access_log RENAME TO access_log_away');
    try {
      const res = await server.request('/v1/test/items/secret-item-4242?k=v');
      expect(res.status).toBe(200);
      await expect
        .poll(() => server.logs.some((l) => l.includes('access log: rows could not be written')))
        .toBe(true);
      const warning = server.logs.find((l) => l.includes('access log: rows could not be written'));
      expect(warning).not.toMatch(/secret-item|4242|items|127\.0\.0\.1/);
      expect(JSON.parse(warning ?? '{}')).toMatchObject({
        level: 40,
        code: '42P01',
        droppedSinceLastWarning: 1,
      });
      expect((await server.metrics.accessLogDropped.get()).values[0]?.value).toBe(1);
    } finally {
      await db.query('ALTER TABLE access_log_away RENAME TO access_log');
    }
  });
});
