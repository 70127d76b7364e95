import Fastify, { type FastifyInstance } from 'fastify';
import { DIALECTS, type Dialect } from '../../src-server/testing/testDatabase.js';
import { startTestServer, type TestServer } from '../../src-server/testing/testServer.js';
import { httpsSetup } from '../../src-server/tls/tlsOptions.js';
import { isSmoke } from './report.js';

/** Settings shared by the API benches (bench:server, bench:pages). */
export function apiBenchSettings() {
  const smoke = isSmoke();
  const dialect = process.env.BENCH_DIALECT ?? 'postgres';
  if (!(DIALECTS as readonly string[]).includes(dialect)) {
    throw new Error(`BENCH_DIALECT must be one of ${DIALECTS.join(', ')}`);
  }
  return {
    smoke,
    durationS: smoke ? 1 : 10,
    warmupS: smoke ? 0 : 2,
    connections: Number(process.env.BENCH_CONNECTIONS ?? (smoke ? 2 : 32)),
    dialect: dialect as Dialect,
  };
}

/**
 * The API server under test (rate limit raised so one address can send the load) and its
 * baseline: a bare Fastify hello-world over the same certificate and key, in the same process.
 */
export async function startApiAndBaseline(
  dialect: Dialect,
): Promise<{ server: TestServer; hello: FastifyInstance; helloUrl: string }> {
  const server = await startTestServer({
    dialect,
    config: {
      logLevel: 'warn',
      rateLimit: { max: 1_000_000, strictMax: 1_000, windowSeconds: 60 },
    },
  });
  const tls = httpsSetup({ dataDir: server.dataDir, tls: undefined });
  const hello = Fastify({ https: tls.options });
  hello.get('/', () => ({ hello: 'world' }));
  await hello.listen({ host: '127.0.0.1', port: 0 });
  const address = hello.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, hello, helloUrl: `https://127.0.0.1:${port}/` };
}
