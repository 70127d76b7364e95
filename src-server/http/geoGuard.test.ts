import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sendRequest } from '../testing/httpsClient.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { defineRoute } from '../../src-shared/cloud/routeSpec.js';
import { addRoute } from './route.js';

/** A public route that says which client address the server derived. */
function whereRoute(app: FastifyInstance): void {
  addRoute(
    app,
    defineRoute({
      method: 'GET',
      path: '/v1/test/where',
      access: { public: true },
      summary: 'test: derived client address',
      reply: z.object({ ip: z.string() }),
    }),
    {
      handler: ({ request }) => ({ ip: request.ip }),
    },
  );
}

const JP_V4 = '1.0.16.1'; // 1.0.16.0-1.0.31.255 JP in the shipped dataset
const JP_V6 = '2001:218:2000:52::1';
const CN = '1.0.1.1';
const PRIVATE = '10.1.2.3'; // not in the dataset: unknown
const ALLOWED_CIDR = '198.51.100.0/24';

const errorCode = (json: unknown): unknown => (json as { error?: { code?: unknown } }).error?.code;

describe('geo restriction behind a trusted proxy (P7)', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The test client on 127.0.0.1 plays the TLS-terminating proxy.
    server = await startTestServer({
      dialect: 'pglite',
      config: {
        behindProxy: true,
        trustedProxies: ['127.0.0.1/32'],
        geo: {
          allowedCountries: ['JP'],
          allowCidrs: [ALLOWED_CIDR],
          allowUnknown: false,
          allowLoopback: false,
        },
      },
      extraRoutes: whereRoute,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const from = (address: string, path = '/v1/test/where') =>
    server.request(path, { headers: { 'x-forwarded-for': address } });

  it('lets Japanese addresses in, IPv4 and IPv6, and sees them as the client', async () => {
    for (const address of [JP_V4, JP_V6]) {
      const res = await from(address);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ip: address });
    }
  });

  it('refuses a request that does not say whom the proxy forwards it for', async () => {
    const res = await server.request('/v1/test/where');
    expect(res.status).toBe(403);
    expect(errorCode(res.json)).toBe('geo_blocked');
    // A client that claims loopback is not let in either: behind a proxy loopback is closed.
    expect((await from('127.0.0.1')).status).toBe(403);
  });

  it('refuses a foreign address with geo_blocked and a message in English and Japanese', async () => {
    const res = await from(CN);
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      error: {
        code: 'geo_blocked',
        message: 'Access is limited to Japan (日本国内からのみご利用いただけます)',
      },
    });
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('refuses addresses the dataset does not know, and values that are not addresses', async () => {
    expect((await from(PRIVATE)).status).toBe(403);
    const garbage = await from('not-an-address');
    expect(garbage.status).toBe(403);
    expect(errorCode(garbage.json)).toBe('geo_blocked');
  });

  it('lets allow-listed CIDRs in whatever their country', async () => {
    const res = await from('198.51.100.7');
    expect(res.status).toBe(200);
  });

  it('decides on the address the trusted proxy saw, not on entries the client prepended', async () => {
    // The client forged "1.0.16.1"; the proxy appended the real peer, 1.0.1.1.
    const forged = await from(`${JP_V4}, ${CN}`);
    expect(forged.status).toBe(403);
    const honest = await from(`${CN}, ${JP_V4}`);
    expect(honest.status).toBe(200);
    expect(honest.json).toEqual({ ip: JP_V4 });
  });

  it('blocks before anything else: unknown routes and protected routes answer geo_blocked', async () => {
    const unknown = await from(CN, '/v1/nothing-here');
    expect(unknown.status).toBe(403);
    expect(errorCode(unknown.json)).toBe('geo_blocked');
    const protectedRoute = await from(CN, '/v1/me');
    expect(protectedRoute.status).toBe(403);
    expect(errorCode(protectedRoute.json)).toBe('geo_blocked');
  });

  it('leaves the load balancer probes alone', async () => {
    expect((await from(PRIVATE, '/healthz')).status).toBe(200);
    expect((await from(CN, '/readyz')).status).toBe(200);
  });

  it('counts blocks by country in the metrics', async () => {
    const before = await server.metrics.geoBlocked.get();
    const count = (country: string) =>
      before.values.find((v) => v.labels.country === country)?.value ?? 0;
    const cnBefore = count('CN');
    await from(CN);
    const after = await server.metrics.geoBlocked.get();
    expect(after.values.find((v) => v.labels.country === 'CN')?.value).toBe(cnBefore + 1);
    expect(after.values.find((v) => v.labels.country === 'unknown')?.value).toBeGreaterThan(0);
  });
});

describe('geo restriction with unknown addresses allowed', () => {
  it('lets unknown addresses in but still refuses foreign ones', async () => {
    const server = await startTestServer({
      dialect: 'pglite',
      config: {
        behindProxy: true,
        trustedProxies: ['127.0.0.1'],
        geo: { allowedCountries: ['JP'], allowCidrs: [], allowUnknown: true, allowLoopback: true },
      },
      extraRoutes: whereRoute,
    });
    try {
      const at = (address: string) =>
        server.request('/v1/test/where', { headers: { 'x-forwarded-for': address } });
      expect((await at(PRIVATE)).status).toBe(200);
      expect((await at(CN)).status).toBe(403);
      // "Unknown" means not in the dataset; a value that is no address is never let in.
      expect((await at('garbage')).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});

describe('X-Forwarded-For from a peer that is not a trusted proxy', () => {
  it('over HTTPS (no proxy configured) is ignored: the real peer decides', async () => {
    const server = await startTestServer({ dialect: 'pglite', extraRoutes: whereRoute });
    try {
      // A foreign address in the header would be refused if it were believed.
      const forgedForeign = await server.request('/v1/test/where', {
        headers: { 'x-forwarded-for': CN },
      });
      expect(forgedForeign.status).toBe(200);
      expect(forgedForeign.json).toEqual({ ip: '127.0.0.1' });
    } finally {
      await server.close();
    }
  });

  it('behind a proxy, peers other than the proxies are cut off before any header is read', async () => {
    const server = await startTestServer({
      dialect: 'pglite',
      config: { behindProxy: true, trustedProxies: ['10.0.0.0/8'] },
      extraRoutes: whereRoute,
    });
    try {
      const attempt = sendRequest(`${server.url}/v1/test/where`, {
        headers: { 'x-forwarded-for': JP_V4 },
      });
      await expect(attempt).rejects.toMatchObject({
        code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) as unknown,
      });
    } finally {
      await server.close();
    }
  });
});
