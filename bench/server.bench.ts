/**
 * bench:server: requests per second of an authenticated `GET /v1/me` (the whole request path:
 * TLS, geo check, per-address rate limit counted in the database, token and session check, the
 * handler's query, response metrics and access log) against a bare Fastify hello-world over the
 * same TLS, with the same certificate, in the same run. Metric: the ratio; target at least 0.3.
 *
 * The caller is a real account: the operator is created the way `weebum-server bootstrap`
 * creates it, then signs in through `POST /v1/auth/sign-in` with its temporary password and
 * changes it, as the desktop app would; then it opens one session per connection, and the
 * connections each carry one session's token, so concurrent token checks are for different
 * sessions (as from many designers), not one row the database answers once. The rate limit stays on but is raised so that one
 * address (loopback) can send the load; each request still pays for its count.
 *
 * Database: the machine's PostgreSQL (TEST_DATABASE_URL, as in the tests), since production
 * runs on PostgreSQL; `BENCH_DIALECT=pglite` measures the embedded one instead.
 * `BENCH_SMOKE=1` or `--smoke`: one second per target, for bench/smoke.test.ts.
 */
import { sendRequest } from '../src-server/testing/httpsClient.js';
import {
  apiBenchSettings,
  loadPerConnection,
  operatorToken,
  signInMany,
  startApiAndBaseline,
} from './lib/apiBench.js';
import { writeReport } from './lib/report.js';

const settings = apiBenchSettings();
const { smoke, dialect } = settings;
const DURATION_S = settings.durationS;
const WARMUP_S = settings.warmupS;
const CONNECTIONS = settings.connections;
const TARGET_RATIO = 0.3;

const load = (url: string, tokens: readonly string[], seconds: number, what: string) =>
  loadPerConnection({ url, tokens, seconds, what, connections: CONNECTIONS });

async function json(res: Promise<{ status: number; json: unknown; text: string }>, what: string) {
  const answer = await res;
  if (answer.status !== 200) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer.json as Record<string, unknown>;
}

const { server, hello, helloUrl } = await startApiAndBaseline(dialect);

try {
  const token = await operatorToken(server);
  const auth = { authorization: `Bearer ${token}` };
  await json(sendRequest(`${server.url}/v1/me`, { ca: server.ca, headers: auth }), 'GET /v1/me');
  const tokens = [token, ...(await signInMany(server, 'operator', CONNECTIONS - 1))];
  const meUrl = `${server.url}/v1/me`;

  if (WARMUP_S > 0) {
    await load(helloUrl, [], WARMUP_S, 'hello warm-up');
    await load(meUrl, tokens, WARMUP_S, '/v1/me warm-up');
  }
  const baseline = await load(helloUrl, [], DURATION_S, 'hello-world');
  const me = await load(meUrl, tokens, DURATION_S, 'GET /v1/me');
  const ratio = me.rps / baseline.rps;

  console.log(
    `GET /v1/me ${me.rps.toFixed(0)} req/s (p50 ${me.p50Ms} ms, p99 ${me.p99Ms} ms); ` +
      `hello-world ${baseline.rps.toFixed(0)} req/s (p50 ${baseline.p50Ms} ms, p99 ${baseline.p99Ms} ms); ` +
      `${CONNECTIONS} connections, ${DURATION_S} s each, ${dialect}`,
  );
  writeReport({
    name: 'server',
    metric: 'rps_ratio',
    value: ratio,
    unit: 'ratio',
    target: { op: '>=', value: TARGET_RATIO },
    baseline: { what: 'hello_rps', value: baseline.rps },
    ratio,
    smoke,
    extra: {
      me,
      baseline,
      sessions: tokens.length,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      dialect,
    },
  });
} finally {
  await hello.close();
  await server.close();
}
