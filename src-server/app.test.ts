import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer } from './app.js';
import { createPasswordHasher, createPasswordPolicy } from './auth/passwords.js';
import type { BlobStore } from './blobs/blobStore.js';
import { createFieldCipher } from './crypto/fieldCipher.js';
import { generateKeyringFile, keyringFrom } from './crypto/keyring.js';
import type { Db } from './db/db.js';
import { migrate } from './db/migrate.js';
import { MIGRATIONS } from './db/migrations/index.js';
import { defineRoute } from '../src-shared/cloud/routeSpec.js';
import { addRoute } from './http/route.js';
import { createMetrics } from './metrics/metrics.js';
import { sendRequest } from './testing/httpsClient.js';
import { DIALECTS } from './testing/testDatabase.js';
import { startTestServer, TEST_HASH_PARAMS, type TestServer } from './testing/testServer.js';

/** The `code` of the error a request failed with. */
async function errorCode(pending: Promise<unknown>): Promise<unknown> {
  try {
    await pending;
    return 'no error';
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
}

/** Probe routes that exercise validation, errors and the auth guard. */
function probeRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    defineRoute({
      method: 'POST',
      path: '/v1/test/echo',
      access: { public: true },
      summary: 'test: echo',
      body: z.strictObject({
        name: z.string().min(1).max(50),
        items: z.array(z.strictObject({ n: z.number().int() })).optional(),
      }),
      reply: z.object({ name: z.string() }),
    }),
    {
      handler: ({ body }) => ({ name: body.name }),
    },
  );
  addRoute(
    app,
    defineRoute({
      method: 'GET',
      path: '/v1/test/boom',
      access: { public: true },
      summary: 'test: unexpected error',
      reply: z.object({}),
    }),
    {
      handler: () => {
        throw new Error('database password=hunter2 leaked in message');
      },
    },
  );
  addRoute(
    app,
    defineRoute({
      method: 'GET',
      path: '/v1/test/albums',
      access: { action: 'album.read' },
      summary: 'test: a protected route',
      reply: z.object({}),
    }),
    {
      handler: () => ({}),
    },
  );
  addRoute(
    app,
    defineRoute({
      method: 'GET',
      path: '/v1/test/slow',
      access: { public: true },
      summary: 'test: slow',
      reply: z.object({ done: z.boolean() }),
    }),
    {
      handler: async () => {
        slowRoute.entered();
        await slowRoute.released;
        return { done: true };
      },
    },
  );
}

/** The slow route's handler: says when a request is inside it, and waits to be let go. */
function gate() {
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { inside, entered, released, release };
}
let slowRoute = gate();

describe.each(DIALECTS)('server over HTTPS on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect, extraRoutes: probeRoutes });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers healthz, readyz and about', async () => {
    const health = await server.request('/healthz');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    const ready = await server.request('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready' });
    const about = await server.request('/v1/about');
    expect(about.json).toEqual({
      service: 'weebum-cloud',
      version: '0.0.0-test',
      apiVersion: 'v1',
      storageRegion: 'ap-northeast-1',
    });
  });

  it('sends HSTS and the other security headers, and no-store', async () => {
    const res = await server.request('/healthz');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const missing = await server.request('/nope');
    expect(missing.headers['strict-transport-security']).toBeDefined();
    expect(missing.headers['content-security-policy']).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
  });

  it('lists its routes in the OpenAPI document', async () => {
    const res = await server.request('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/healthz', '/readyz', '/v1/about', '/v1/test/echo']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const protectedOp = doc.paths['/v1/test/albums']?.['get'] as { security?: unknown };
    expect(protectedOp.security).toEqual([{ bearerAuth: [] }]);
  });

  it('validates bodies and echoes valid ones', async () => {
    const res = await server.request('/v1/test/echo', {
      method: 'POST',
      body: { name: '卒業アルバム' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ name: '卒業アルバム' });
  });

  it('answers malformed JSON with invalid_json', async () => {
    const res = await server.request('/v1/test/echo', { method: 'POST', body: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: { code: 'invalid_json', message: 'The request body is not valid JSON' },
    });
  });

  it('refuses prototype pollution attempts as invalid JSON', async () => {
    const res = await server.request('/v1/test/echo', {
      method: 'POST',
      body: '{"name":"x","__proto__":{"admin":true}}',
    });
    expect(res.status).toBe(400);
    expect((res.json as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('refuses unknown fields, naming the field', async () => {
    const res = await server.request('/v1/test/echo', {
      method: 'POST',
      body: { name: 'a', role: 'operator' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: {
        code: 'validation_failed',
        message: 'body.role: is not a known field',
        path: ['body', 'role'],
      },
    });
  });

  it('names the first bad field, nested and missing ones too', async () => {
    const nested = await server.request('/v1/test/echo', {
      method: 'POST',
      body: { name: 'a', items: [{ n: 1 }, { n: 'two' }] },
    });
    expect(nested.status).toBe(400);
    expect(nested.json).toMatchObject({
      error: { code: 'validation_failed', path: ['body', 'items', 1, 'n'] },
    });
    expect((nested.json as { error: { message: string } }).error.message).toMatch(
      /^body\.items\.1\.n: /,
    );
    const missing = await server.request('/v1/test/echo', { method: 'POST', body: {} });
    expect(missing.json).toEqual({
      error: {
        code: 'validation_failed',
        message: 'body.name: is required',
        path: ['body', 'name'],
      },
    });
  });

  it('refuses oversized bodies with payload_too_large', async () => {
    const res = await server.request('/v1/test/echo', {
      method: 'POST',
      body: { name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect((res.json as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('refuses other media types', async () => {
    const res = await server.request('/v1/test/echo', {
      method: 'POST',
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect((res.json as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('answers unknown routes and methods with not_found, before reading the body', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['POST', '/healthz'],
      ['DELETE', '/v1/about'],
    ] as const) {
      const res = await server.request(path, { method, body: '{not json' });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    }
  });

  it('hides details of unexpected errors and keeps secrets out of the log', async () => {
    const res = await server.request('/v1/test/boom', {
      headers: { authorization: 'Bearer secret-token-value' },
    });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      error: { code: 'internal_error', message: 'Internal server error' },
    });
    expect(res.text).not.toContain('hunter2');
    const logged = server.logs.join('');
    expect(logged).toContain('unexpected error');
    expect(logged).not.toContain('secret-token-value');
    // Log times are UTC ISO strings (P12).
    const line = JSON.parse(server.logs.find((l) => l.includes('unexpected error')) ?? '{}') as {
      time?: string;
    };
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts secret fields in anything logged', () => {
    server.app.log.info(
      { password: 'pw-123', body: { refreshToken: 'rt-456' }, headers: { authorization: 'ab' } },
      'redaction probe',
    );
    const line = server.logs.find((l) => l.includes('redaction probe')) ?? '';
    expect(line).not.toMatch(/pw-123|rt-456|"ab"/);
    expect(line).toContain('[redacted]');
  });

  it('denies non-public routes by default, before validation', async () => {
    const res = await server.request('/v1/test/albums');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: 'unauthenticated', message: 'Sign-in required' } });
  });

  it('refuses a client that does not trust the CA', async () => {
    expect(await errorCode(server.request('/healthz', { ca: undefined }))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
  });

  it('refuses TLS 1.1 and accepts TLS 1.2', async () => {
    await expect(
      server.request('/healthz', {
        minVersion: 'TLSv1.1',
        maxVersion: 'TLSv1.1',
        // OpenSSL 3 will not even offer TLS 1.1 at its default security level.
        ciphers: 'DEFAULT:@SECLEVEL=0',
      }),
    ).rejects.toThrow(/alert protocol version/);
    const ok = await server.request('/healthz', { maxVersion: 'TLSv1.2' });
    expect(ok.status).toBe(200);
  });
});

describe('readiness', () => {
  it('is 503 until migrations are current', async () => {
    const server = await startTestServer({ dialect: 'pglite', migrate: false });
    try {
      const before = await server.request('/readyz');
      expect(before.status).toBe(503);
      expect(before.json).toEqual({
        error: { code: 'not_ready', message: 'Database migrations pending' },
      });
      expect((await server.request('/healthz')).status).toBe(200);
      await migrate(server.database.db, MIGRATIONS);
      expect((await server.request('/readyz')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('graceful stop', () => {
  it('finishes in-flight requests when closed', async () => {
    const server = await startTestServer({ dialect: 'pglite', extraRoutes: probeRoutes });
    try {
      slowRoute = gate();
      const inFlight = server.request('/v1/test/slow');
      await slowRoute.inside;
      const closing = server.app.close();
      // The handler is let go only once the server has stopped taking requests (it refuses
      // them, or answers 503): the request is then in flight across the close.
      await expect
        .poll(
          () =>
            server.request('/healthz').then(
              (r) => r.status,
              () => 'refused',
            ),
          {
            timeout: 20_000,
          },
        )
        .not.toBe(200);
      slowRoute.release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ done: true });
      await closing;
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('behind a proxy', () => {
  it('speaks HTTP to trusted proxies only, still sends HSTS, and believes their X-Forwarded-For', async () => {
    let seenIp = '';
    const server = await startTestServer({
      dialect: 'pglite',
      config: { behindProxy: true, trustedProxies: ['127.0.0.1/32'] },
      extraRoutes: (app) =>
        addRoute(
          app,
          defineRoute({
            method: 'GET',
            path: '/v1/test/ip',
            access: { public: true },
            summary: 'test: client address',
            reply: z.object({}),
          }),
          {
            handler: ({ request }) => {
              seenIp = request.ip;
              return {};
            },
          },
        ),
    });
    try {
      expect(server.url).toMatch(/^http:/);
      // 1.0.16.1 is Japanese in the shipped dataset: the geo check lets it through (P7).
      const res = await server.request('/v1/test/ip', {
        headers: { 'x-forwarded-for': '1.0.16.1' },
      });
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(seenIp).toBe('1.0.16.1');
    } finally {
      await server.close();
    }
  });

  it('cuts off peers that are not configured proxies', async () => {
    const server = await startTestServer({
      dialect: 'pglite',
      config: { behindProxy: true, trustedProxies: ['10.0.0.0/8'] },
    });
    try {
      expect(await errorCode(sendRequest(`${server.url}/healthz`))).toMatch(/^(ECONNRESET|EPIPE)$/);
    } finally {
      await server.close();
    }
  });
});

describe('route access guard', () => {
  // The guard fires while routes are registered; no database is touched.
  const accountDeps = {
    cipher: createFieldCipher(keyringFrom(generateKeyringFile(new Date()))),
    hasher: createPasswordHasher(TEST_HASH_PARAMS),
    passwordPolicy: createPasswordPolicy(new Set()),
    // Never called: the server refuses to start before any request.
    blobs: {} as BlobStore,
  };
  const db: Db = {
    dialect: 'pglite',
    query: () => Promise.reject(new Error('unused')),
    transaction: () => Promise.reject(new Error('unused')),
    withConnection: () => Promise.reject(new Error('unused')),
    close: () => Promise.resolve(),
  };

  it('refuses to start when a route declares no access', async () => {
    {
      const start = createServer({
        config: {
          behindProxy: true,
          trustedProxies: ['127.0.0.1'],
          storageRegion: 'ap-northeast-1',
          bodyLimitBytes: 1024,
          logLevel: 'silent',
          geo: {
            allowedCountries: ['JP'],
            allowCidrs: [],
            allowUnknown: false,
            allowLoopback: true,
          },
          rateLimit: { max: 600, strictMax: 20, windowSeconds: 60 },
        },
        db,
        migrations: MIGRATIONS,
        https: undefined,
        version: 'test',
        logDestination: { write: () => undefined },
        countryLookup: { country: () => null },
        metrics: createMetrics(),
        ...accountDeps,
        extraRoutes: (app) => {
          app.get('/v1/forgotten', () => ({}));
        },
      });
      await expect(start).rejects.toThrow(/Route GET \/v1\/forgotten must declare config.access/);
    }
  });

  it('refuses an action that is not in the roles table', async () => {
    {
      const start = createServer({
        config: {
          behindProxy: true,
          trustedProxies: ['127.0.0.1'],
          storageRegion: 'ap-northeast-1',
          bodyLimitBytes: 1024,
          logLevel: 'silent',
          geo: {
            allowedCountries: ['JP'],
            allowCidrs: [],
            allowUnknown: false,
            allowLoopback: true,
          },
          rateLimit: { max: 600, strictMax: 20, windowSeconds: 60 },
        },
        db,
        migrations: MIGRATIONS,
        https: undefined,
        version: 'test',
        logDestination: { write: () => undefined },
        countryLookup: { country: () => null },
        metrics: createMetrics(),
        ...accountDeps,
        extraRoutes: (app) => {
          app.get(
            '/v1/typo',
            { config: { access: { action: 'album.reed' } as never } },
            () => ({}),
          );
        },
      });
      await expect(start).rejects.toThrow(/must declare config.access/);
    }
  });
});
