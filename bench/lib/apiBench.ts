import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { createPasswordTools } from '../../src-server/auth/passwordTools.js';
import { createFieldCipher } from '../../src-server/crypto/fieldCipher.js';
import { keyringFrom } from '../../src-server/crypto/keyring.js';
import { DIALECTS, type Dialect } from '../../src-server/testing/testDatabase.js';
import {
  startTestServer,
  TEST_HASH_PARAMS,
  type TestServer,
} from '../../src-server/testing/testServer.js';
import { httpsSetup } from '../../src-server/tls/tlsOptions.js';
import { createUserService } from '../../src-server/users/userService.js';
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

async function ok200(
  server: TestServer,
  path: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const res = await server.request(path, {
    method: 'POST',
    body,
    ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
  });
  if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${res.text}`);
  return res.json as Record<string, unknown>;
}

/** The password `activateAccount` sets. */
export const benchPassword = (loginId: string): string => `${loginId}-bench-2026`;

/** `count` more sessions of an activated account: one access token each. */
export async function signInMany(
  server: TestServer,
  loginId: string,
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const signedIn = await ok200(server, '/v1/auth/sign-in', {
      loginId,
      password: benchPassword(loginId),
    });
    tokens.push(String(signedIn.accessToken));
  }
  return tokens;
}

/** Signs in with a temporary password and makes the forced change; returns the access token. */
export async function activateAccount(
  server: TestServer,
  loginId: string,
  temporaryPassword: string,
): Promise<string> {
  const first = await ok200(server, '/v1/auth/sign-in', { loginId, password: temporaryPassword });
  const changed = await ok200(
    server,
    '/v1/me/password',
    { currentPassword: temporaryPassword, newPassword: benchPassword(loginId) },
    String(first.accessToken),
  );
  return String(changed.accessToken);
}

/** The operator, bootstrapped as the CLI does it and activated through the API. */
export async function operatorToken(server: TestServer): Promise<string> {
  const users = createUserService({
    db: server.database.db,
    cipher: createFieldCipher(keyringFrom(server.keyringFile)),
    ...(await createPasswordTools(TEST_HASH_PARAMS)),
    now: () => new Date(),
  });
  const issued = await users.bootstrapOperator({
    loginId: 'operator',
    displayName: 'Operator',
    email: null,
  });
  if (issued === undefined) throw new Error('the operator exists already');
  return activateAccount(server, 'operator', issued.temporaryPassword);
}

/** Requests/s and latency of one load. */
export interface Load {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
}

/** Fails a load that saw errors: a bench of 401s or 429s would measure the wrong thing. */
export function checkedLoad(results: readonly autocannon.Result[], what: string): Load {
  const sum = (pick: (r: autocannon.Result) => number) =>
    results.reduce((total, r) => total + pick(r), 0);
  const failed = sum((r) => r.errors + r.timeouts + r.non2xx);
  if (failed > 0) throw new Error(`${what}: ${failed} errors, timeouts or non-2xx answers`);
  const median = (values: number[]) => values.sort((x, y) => x - y)[values.length >> 1] ?? 0;
  return {
    rps: sum((r) => r.requests.average),
    p50Ms: median(results.map((r) => r.latency.p50)),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
    requests: sum((r) => r.requests.total),
  };
}

/**
 * `connections` GET clients at once, one autocannon client per connection, each with its
 * request built once: a `setupRequest` would rebuild every request, client work the
 * hello-world baseline does not pay for. With `tokens`, connection i carries token i (mod
 * their number) throughout, so concurrent token checks are for different sessions; one client
 * cycling through the tokens drifts into lockstep, and a batch then holds a few sessions many
 * times over. p50 is the median of the connections' p50s, p99 the worst p99.
 */
export async function loadPerConnection(options: {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly what: string;
  readonly tokens?: readonly string[];
}): Promise<Load> {
  const tokens = options.tokens ?? [];
  const results = await Promise.all(
    Array.from({ length: options.connections }, (_, i) =>
      autocannon({
        url: options.url,
        connections: 1,
        duration: options.seconds,
        ...(tokens.length === 0
          ? {}
          : { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } }),
      }),
    ),
  );
  return checkedLoad(results, options.what);
}
