import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '../../src-shared/cloud/routeSpec.js';
import { addRoute } from '../http/route.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { createMetrics } from './metrics.js';

function get(url: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function routes(app: FastifyInstance): void {
  addRoute(
    app,
    defineRoute({
      method: 'GET',
      path: '/v1/test/albums/:albumId',
      access: { public: true },
      summary: 'test: a route with an id',
      params: z.strictObject({ albumId: z.string() }),
      reply: z.object({}),
    }),
    {
      handler: () => ({}),
    },
  );
}

describe('metrics on a listener of their own (P14)', () => {
  let server: TestServer;
  let metricsUrl: string;
  beforeAll(async () => {
    server = await startTestServer({
      dialect: 'pglite',
      config: {
        behindProxy: true,
        trustedProxies: ['127.0.0.1'],
        metrics: { host: '127.0.0.1', port: 0 },
      },
      extraRoutes: routes,
    });
    metricsUrl = server.metricsUrl ?? '';
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves Prometheus text with request counts by route pattern, never raw URLs', async () => {
    const jp = { 'x-forwarded-for': '1.0.16.1' };
    await server.request('/v1/test/albums/album-31337?x=1', { headers: jp });
    await server.request('/v1/test/albums/album-42', { headers: jp });
    await server.request('/v1/nothing/777', { headers: jp });
    await server.request('/v1/test/albums/1', { headers: { 'x-forwarded-for': '1.0.1.1' } });
    server.metrics.signInFailures.inc();

    const res = await get(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain(
      'weebum_http_requests_total{method="GET",route="/v1/test/albums/:albumId",status="200"} 2',
    );
    expect(text).toContain(
      'weebum_http_requests_total{method="GET",route="(unmatched)",status="404"} 1',
    );
    expect(text).toContain(
      'weebum_http_requests_total{method="GET",route="/v1/test/albums/:albumId",status="403"} 1',
    );
    expect(text).toMatch(
      /weebum_http_request_duration_seconds_count\{method="GET",route="\/v1\/test\/albums\/:albumId"\} 3/,
    );
    expect(text).toContain('weebum_sign_in_failures_total 1');
    expect(text).toContain('weebum_geo_blocked_total{country="CN"} 1');
    expect(text).toContain('weebum_rate_limited_total');
    expect(text).toContain('process_cpu_user_seconds_total');
    for (const leak of ['album-31337', 'album-42', 'nothing/777', '"1.0.16.1', '"1.0.1.1']) {
      expect(text).not.toContain(leak);
    }
  });

  it('is not served by the API, and the metrics listener serves nothing else', async () => {
    const api = await server.request('/metrics', { headers: { 'x-forwarded-for': '1.0.16.1' } });
    expect(api.status).toBe(404);
    expect((await get(metricsUrl.replace('/metrics', '/'))).status).toBe(404);
    expect((await get(`${metricsUrl}?x=1`)).status).toBe(404);
  });
});

describe('metrics registries', () => {
  it('are isolated per server: no global default registry', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.signInFailures.inc(3);
    expect((await a.signInFailures.get()).values[0]?.value).toBe(3);
    expect((await b.signInFailures.get()).values[0]?.value).toBe(0);
    expect(await b.registry.metrics()).toContain('weebum_sign_in_failures_total 0');
  });
});
