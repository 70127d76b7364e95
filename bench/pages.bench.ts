/**
 * bench:pages: the page requests sync lives on, each against a bare Fastify hello-world over the
 * same TLS (same certificate) in the same run:
 *
 * - `GET /v1/albums/:id/pages/:pageId`: an authenticated page read (token check, album
 *   visibility, the page's document). DESIGN.md's target is for this one: at least 30% of the
 *   hello-world's requests/s.
 * - `PUT /v1/albums/:id/pages/:pageId` with If-Match, X-Client-Id and X-Mutation-No: every
 *   request a real push (row lock, version check, mutation record, feed entry). Each
 *   connection pushes a page of its own, taken from a pool and returned with its new version,
 *   so no push is refused as stale (a bench of 412s would measure the wrong thing).
 * - `GET /v1/albums/:id/changes?after=<n>&limit=50`: a feed read of 50 page changes with
 *   their documents, as a client catching up reads it.
 *
 * The caller is a studio admin created through the operator's API and signed in like the
 * desktop app, with one session per connection. Metric (last line): page GET requests/s over
 * hello-world requests/s, target at least 0.3. PUT and feed ratios, as issue 4 asks, and p50/p99
 * of all four are printed and in the JSON; they have no target of their own (a PUT is a write
 * transaction with a row lock, a mutation record and a feed entry). Database: the machine's PostgreSQL (`BENCH_DIALECT=pglite`
 * for the embedded one). `BENCH_SMOKE=1` or `--smoke`: one second per target.
 */
import autocannon from 'autocannon';
import { samplePage } from '../src-shared/model/fixtures.js';
import { sendRequest } from '../src-server/testing/httpsClient.js';
import type { TestServer } from '../src-server/testing/testServer.js';
import {
  activateAccount,
  apiBenchSettings,
  checkedLoad,
  type Load,
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

interface PushContext {
  page?: { id: string; version: number };
}

const run = (options: autocannon.Options) => autocannon({ connections: CONNECTIONS, ...options });

async function call(
  server: TestServer,
  path: string,
  options: { method?: string; token?: string; body?: unknown; status?: number } = {},
): Promise<Record<string, unknown>> {
  const res = await sendRequest(`${server.url}${path}`, {
    ca: server.ca,
    method: options.method ?? 'GET',
    ...(options.token === undefined
      ? {}
      : { headers: { authorization: `Bearer ${options.token}` } }),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  if (res.status !== (options.status ?? 200)) {
    throw new Error(`${options.method ?? 'GET'} ${path}: ${res.status} ${res.text}`);
  }
  return res.json as Record<string, unknown>;
}

/** The operator (as the CLI bootstraps it), a studio and a school; the studio admin's token. */
async function studioAdmin(server: TestServer): Promise<{ token: string; schoolId: string }> {
  const operator = await operatorToken(server);
  const tenant = async (kind: string) =>
    String(
      (
        await call(server, '/v1/tenants', {
          method: 'POST',
          token: operator,
          status: 201,
          body: { kind, name: `bench ${kind}`, contractStart: '2026-04-01T00:00:00+09:00' },
        })
      ).id,
    );
  const studioId = await tenant('studio');
  const schoolId = await tenant('school');
  const admin = await call(server, `/v1/tenants/${studioId}/admins`, {
    method: 'POST',
    token: operator,
    status: 201,
    body: { loginId: 'bench-studio-admin', displayName: 'Bench Admin' },
  });
  return {
    token: await activateAccount(server, 'bench-studio-admin', String(admin.temporaryPassword)),
    schoolId,
  };
}

const { server, hello, helloUrl } = await startApiAndBaseline(dialect);

try {
  const { token, schoolId } = await studioAdmin(server);
  const { id: albumId } = (await call(server, '/v1/albums', {
    method: 'POST',
    token,
    status: 201,
    body: {
      schoolTenantId: schoolId,
      settings: {
        title: 'bench',
        schoolName: 'bench',
        fiscalYear: 2026,
        trim: { preset: 'A4', widthMm: 210, heightMm: 297 },
        binding: 'left',
        pageCount: 100,
      },
    },
  })) as { id: string };
  const tokens = [token, ...(await signInMany(server, 'bench-studio-admin', CONNECTIONS - 1))];
  let nextToken = 0;
  const bearer = () => ({ authorization: `Bearer ${tokens[nextToken++ % tokens.length]}` });
  /** GET requests from every session at once, as from many designers. */
  const load = (url: string, seconds: number, what: string, withTokens = true) =>
    loadPerConnection({
      url,
      seconds,
      what,
      connections: CONNECTIONS,
      ...(withTokens ? { tokens } : {}),
    });

  // A page per connection and then some: each push takes one from the pool and returns it.
  const pool: { id: string; version: number }[] = [];
  for (let i = 0; i < CONNECTIONS * 2; i++) {
    const id = `bench-${i}`;
    await call(server, `/v1/albums/${albumId}/pages`, {
      method: 'POST',
      token,
      status: 201,
      body: samplePage({ id, albumId, index: i }),
    });
    pool.push({ id, version: 1 });
  }
  const bodies = new Map(
    pool.map((p) => [p.id, JSON.stringify(samplePage({ id: p.id, albumId, index: 0 }))]),
  );
  let mutationNo = 0;
  const putOptions = (duration: number): autocannon.Options => ({
    url: server.url,
    duration,
    requests: [
      {
        method: 'PUT',
        setupRequest: (request, context) => {
          const page = pool.pop();
          if (page === undefined) throw new Error('page pool is empty');
          // The context lives from building a request to its response (one per connection).
          (context as PushContext).page = page;
          return {
            ...request,
            path: `/v1/albums/${albumId}/pages/${page.id}`,
            headers: {
              ...bearer(),
              'content-type': 'application/json',
              'if-match': String(page.version),
              'x-client-id': 'bench',
              'x-mutation-no': String(++mutationNo),
            },
            body: bodies.get(page.id),
          };
        },
        onResponse: (status, body, context) => {
          const { page } = context as Required<PushContext>;
          if (status === 200) page.version = (JSON.parse(body) as { version: number }).version;
          pool.push(page);
        },
      },
    ],
  });
  const feedUrl = `${server.url}/v1/albums/${albumId}/changes?after=1&limit=50`;
  const pageUrl = `${server.url}/v1/albums/${albumId}/pages/${pool[0]?.id ?? ''}`;

  if (WARMUP_S > 0) {
    await load(helloUrl, WARMUP_S, 'hello warm-up', false);
    await load(pageUrl, WARMUP_S, 'GET warm-up');
    checkedLoad([await run(putOptions(WARMUP_S))], 'PUT warm-up');
    await load(feedUrl, WARMUP_S, 'feed warm-up');
  }
  const baseline = await load(helloUrl, DURATION_S, 'hello-world', false);
  const get = await load(pageUrl, DURATION_S, 'GET page');
  const put = checkedLoad([await run(putOptions(DURATION_S))], 'PUT page');
  const feed = await load(feedUrl, DURATION_S, 'GET changes');
  const getRatio = get.rps / baseline.rps;
  const putRatio = put.rps / baseline.rps;
  const feedRatio = feed.rps / baseline.rps;
  const show = (what: string, l: Load) =>
    `${what} ${l.rps.toFixed(0)} req/s (p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms)`;
  console.log(
    `${show('GET page', get)}; ${show('PUT page', put)}; ${show('GET changes (50)', feed)}; ` +
      `${show('hello-world', baseline)}; ` +
      `ratios GET ${getRatio.toFixed(3)}, PUT ${putRatio.toFixed(3)}, feed ${feedRatio.toFixed(3)}; ` +
      `${CONNECTIONS} connections, ${tokens.length} sessions, ${DURATION_S} s each, ${dialect}`,
  );
  writeReport({
    name: 'pages',
    metric: 'get_rps_ratio',
    value: getRatio,
    unit: 'ratio',
    target: { op: '>=', value: TARGET_RATIO },
    baseline: { what: 'hello_rps', value: baseline.rps },
    ratio: getRatio,
    smoke,
    extra: {
      get,
      put,
      feed,
      baseline,
      putRatio,
      feedRatio,
      p50Ratio: {
        get: get.p50Ms / baseline.p50Ms,
        put: put.p50Ms / baseline.p50Ms,
        feed: feed.p50Ms / baseline.p50Ms,
      },
      p99Ratio: {
        get: get.p99Ms / baseline.p99Ms,
        put: put.p99Ms / baseline.p99Ms,
        feed: feed.p99Ms / baseline.p99Ms,
      },
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      dialect,
    },
  });
} finally {
  await hello.close();
  await server.close();
}
