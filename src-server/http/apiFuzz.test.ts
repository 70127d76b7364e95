import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albumApi } from '../../src-shared/cloud/albums.js';
import { ALL_ROUTES } from '../../src-shared/cloud/allRoutes.js';
import { pageApi } from '../../src-shared/cloud/pages.js';
import { routeName, type RouteSpec } from '../../src-shared/cloud/routeSpec.js';
import {
  bootstrapOperator,
  signIn,
  tenantWithAdmin,
  type Session,
} from '../testing/accountFixtures.js';
import { albumSettings, createAlbumAs, pageFor } from '../testing/albumFixtures.js';
import {
  bodyText,
  HOSTILE_TEXTS,
  hostileText,
  hostileVariant,
  nulVariants,
  numberVariants,
  validArbitrary,
  type JsonSchema,
} from '../testing/schemaArbitrary.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { toJsonSchema } from './route.js';

/**
 * Schema-driven fuzzing of every route of the contract, with params, queries and bodies made
 * from each spec's own JSON schema, sent by nobody, a studio admin whose tenant owns the album
 * named in the path, and the operator. Two kinds of case per route and caller:
 * - a sweep: each path parameter and query field set to each hostile text in turn, and the
 *   valid body with a NUL in each of its strings and each of its numbers past every column;
 * - RUNS random cases (fixed seed): valid-shaped or hostile (NUL, huge numbers, 1e309,
 *   negatives, long text, wrong types) in any part.
 * Whatever comes in, the answer is never 5xx and always comes (no hang).
 */
const SEED = 20_261_208;
const RUNS = 20;
/** A hang is a failure; generous so a slow machine is not one. */
const ANSWER_DEADLINE_MS = 20_000;

interface World {
  readonly albumId: string;
  readonly schoolTenantId: string;
  readonly pageId: string;
  readonly tenantId: string;
}

/** Routes whose body is a document the server parses itself (the schema says only "object"). */
function documentBase(spec: RouteSpec, world: World): fc.Arbitrary<unknown> | undefined {
  if (spec === pageApi.create || spec === pageApi.put) {
    return fc
      .stringMatching(/^[A-Za-z0-9_-]{1,20}$/)
      .map((id) => pageFor(world.albumId, { id }) as unknown);
  }
  if (spec === albumApi.create) {
    return fc.constant({ schoolTenantId: world.schoolTenantId, settings: albumSettings() });
  }
  if (spec === albumApi.updateSettings) return fc.constant({ settings: albumSettings() });
  return undefined;
}

const propertiesOf = (schema: unknown): Record<string, JsonSchema> =>
  (schema as JsonSchema | undefined)?.properties ?? {};

interface Parts {
  readonly params: Record<string, string>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

/** The arbitraries of one route's parts, and one valid-shaped example of each. */
function partsOf(spec: RouteSpec, world: World) {
  const paramSchemas = propertiesOf(spec.params && toJsonSchema(spec.params, 'input'));
  const querySchemas = propertiesOf(spec.query && toJsonSchema(spec.query, 'input'));
  const bodySchema = spec.body && (toJsonSchema(spec.body, 'input') as JsonSchema);
  const known: Record<string, string> = {
    albumId: world.albumId,
    pageId: world.pageId,
    id: world.tenantId,
  };
  const validParam = (name: string, schema: JsonSchema) =>
    known[name] === undefined ? validArbitrary(schema).map(String) : fc.constant(known[name]);
  const first = <T>(arbitrary: fc.Arbitrary<T>): T =>
    fc.sample(arbitrary, { seed: SEED, numRuns: 1 })[0] as T;
  const bodyBase = documentBase(spec, world) ?? (bodySchema && validArbitrary(bodySchema));

  const example: Parts = {
    params: Object.fromEntries(
      Object.entries(paramSchemas).map(([name, s]) => [name, first(validParam(name, s))]),
    ),
    query: {},
    body: bodyBase && first(bodyBase),
  };
  const random: fc.Arbitrary<Parts> = fc.record({
    params: fc.record(
      Object.fromEntries(
        Object.entries(paramSchemas).map(([name, s]) => [
          name,
          fc.oneof({ arbitrary: validParam(name, s), weight: 3 }, hostileText),
        ]),
      ),
    ),
    query: fc.record(
      Object.fromEntries(
        Object.entries(querySchemas).map(([name, s]) => [
          name,
          fc.oneof(validArbitrary(s).map(String), hostileText),
        ]),
      ),
      { requiredKeys: [] },
    ),
    body:
      bodyBase === undefined
        ? fc.constant(undefined)
        : bodyBase.chain((valid) =>
            fc.oneof(fc.constant(valid), { arbitrary: hostileVariant(valid), weight: 3 }),
          ),
  });
  const sweep: Parts[] = [
    ...Object.keys(paramSchemas).flatMap((name) =>
      HOSTILE_TEXTS.map((bad) => ({ ...example, params: { ...example.params, [name]: bad } })),
    ),
    ...Object.keys(querySchemas).flatMap((name) =>
      HOSTILE_TEXTS.map((bad) => ({ ...example, query: { [name]: bad } })),
    ),
    ...(example.body === undefined
      ? []
      : [...nulVariants(example.body), ...numberVariants(example.body)].map((body) => ({
          ...example,
          body,
        }))),
  ];
  return { random, sweep };
}

const encode = (value: string) => encodeURIComponent(value);

function urlOf(spec: RouteSpec, parts: Parts): string {
  const path = spec.path.replace(/:(\w+)|\*$/g, (_match, name: string | undefined) =>
    encode(parts.params[name ?? '*'] ?? ''),
  );
  const search = Object.entries(parts.query)
    .flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${encode(v)}`]))
    .join('&');
  return search === '' ? path : `${path}?${search}`;
}

describe('every route, fuzzed from its schema', () => {
  let server: TestServer;
  let schoolTenantId: string;
  let studioTenantId: string;
  /** Sessions made up front, one pair per route: a fuzzed sign-out ends only its own. */
  const sessions = new Map<RouteSpec, { admin: Session; operator: Session }>();

  beforeAll(async () => {
    server = await startTestServer({
      dialect: 'pglite',
      // Thousands of requests from one address: the limiter is not what is under test here.
      config: { rateLimit: { max: 1_000_000, strictMax: 1_000_000, windowSeconds: 60 } },
    });
    const operator = await bootstrapOperator(server, () => new Date());
    const a = await tenantWithAdmin(server, operator, 'studio', 'fuzz-a-admin');
    const c = await tenantWithAdmin(server, operator, 'school', 'fuzz-c-admin');
    studioTenantId = a.tenantId;
    schoolTenantId = c.tenantId;
    for (const spec of ALL_ROUTES) {
      const admin = await signIn(server, 'fuzz-a-admin', 'fuzz-a-admin-pass-2026');
      const op = await signIn(server, 'operator', 'operator-password-2026');
      expect([admin.status, op.status]).toEqual([200, 200]);
      sessions.set(spec, { admin: admin.json as Session, operator: op.json as Session });
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  // Deleting routes last, so the others meet a world that still has its album.
  const routes = [...ALL_ROUTES].sort(
    (x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'),
  );

  it.each(routes.map((spec) => [routeName(spec), spec] as const))(
    '%s: never 5xx, always answers',
    async (_name, spec) => {
      const { admin, operator } = sessions.get(spec) as { admin: Session; operator: Session };
      // Each route gets its own album of the studio for the school, with one page.
      const albumId = await createAlbumAs(server, admin.accessToken, schoolTenantId);
      const page = await server.app.inject({
        method: 'POST',
        url: `/v1/albums/${albumId}/pages`,
        headers: { authorization: `Bearer ${admin.accessToken}` },
        payload: pageFor(albumId, { id: 'fuzz-page' }),
      });
      expect(page.statusCode, page.body).toBe(201);
      const world = { albumId, schoolTenantId, pageId: 'fuzz-page', tenantId: studioTenantId };
      const callers: Record<string, Record<string, string>> = {
        nobody: {},
        'studio_admin@A': { authorization: `Bearer ${admin.accessToken}` },
        operator: { authorization: `Bearer ${operator.accessToken}` },
      };
      const { random, sweep } = partsOf(spec, world);
      const pushHeader = fc.constantFrom('1', '0', '-1', '9999999999999999999', '1e309', 'x');
      const push = fc.record({
        'if-match': pushHeader,
        'x-client-id': fc.uuid(),
        'x-mutation-no': pushHeader,
      });

      const send = async (caller: string, parts: Parts, headers: Record<string, string>) => {
        const url = urlOf(spec, parts);
        const body = parts.body === undefined ? undefined : bodyText(parts.body);
        let timer: NodeJS.Timeout | undefined;
        const hang = new Promise<'hang'>((resolve) => {
          timer = setTimeout(() => resolve('hang'), ANSWER_DEADLINE_MS);
        });
        const answer = await Promise.race([
          server.app.inject({
            method: spec.method,
            url,
            headers: {
              ...callers[caller],
              ...headers,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { payload: body }),
          }),
          hang,
        ]).finally(() => clearTimeout(timer));
        const what = `${caller} ${spec.method} ${url.slice(0, 200)} ${String(body).slice(0, 300)}`;
        expect(answer, `no answer: ${what}`).not.toBe('hang');
        if (answer === 'hang') return;
        expect(answer.statusCode, `${what} → ${answer.body.slice(0, 200)}`).toBeLessThan(500);
      };

      const validPush = { 'if-match': '1', 'x-client-id': 'fuzz-client', 'x-mutation-no': '1' };
      for (const caller of Object.keys(callers)) {
        for (const parts of sweep) await send(caller, parts, validPush);
        await fc.assert(
          fc.asyncProperty(random, push, (parts, headers) => send(caller, parts, headers)),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      }
    },
    120_000,
  );
});
