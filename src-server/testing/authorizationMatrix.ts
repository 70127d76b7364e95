import type { RouteTableEntry } from '../http/routeAccess.js';
import { errorCodeOf } from './accountFixtures.js';
import type { TestResponse } from './httpsClient.js';
import {
  expectedAnswer,
  ROUTE_EXPECTATIONS,
  type CallerName,
  type ExpectedAnswer,
} from './matrixExpectations.js';
import { ROUTE_CALLS } from './matrixRequests.js';
import type { MatrixWorld } from './matrixWorld.js';
import type { TestServer } from './testServer.js';

/**
 * The authorization matrix (P5, P15): every route of a running server called as every caller
 * of the matrix world, each answer held against the hand-written tables of
 * matrixExpectations.ts. authorizationMatrix.test.ts runs all of it; authorizationMutations
 * .test.ts runs the rows of one deliberately broken route and requires a mismatch.
 */

export const routeKey = (route: Pick<RouteTableEntry, 'method' | 'url'>): string =>
  `${route.method} ${route.url}`;

const own = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/**
 * Routes the server has that the matrix has no expectation or no call for, and rows the matrix
 * has for routes the server no longer has. Both must be empty.
 */
export function matrixCoverage(routeTable: readonly RouteTableEntry[]): {
  unlisted: string[];
  stale: string[];
} {
  const running = new Set(routeTable.map(routeKey));
  const rows = new Set([...Object.keys(ROUTE_EXPECTATIONS), ...Object.keys(ROUTE_CALLS)]);
  return {
    unlisted: [...running].filter(
      (key) => own(ROUTE_EXPECTATIONS, key) === undefined || own(ROUTE_CALLS, key) === undefined,
    ),
    stale: [...rows].filter((key) => !running.has(key)),
  };
}

export interface Mismatch {
  readonly route: string;
  /** null: the route itself is the problem (no row for it). */
  readonly caller: CallerName | null;
  readonly problem: string;
}

export const describeMismatch = (m: Mismatch): string =>
  `${m.route}${m.caller === null ? '' : ` as ${m.caller}`}: ${m.problem}`;

const DENIALS = new Set([401, 403, 404]);

/** Why `res` is not the expected answer, or undefined when it is. A 5xx is never right. */
function judge(want: ExpectedAnswer, res: TestResponse, albumId: string): string | undefined {
  const code = errorCodeOf(res);
  const got = `got ${res.status}${code === undefined ? '' : ` ${JSON.stringify(code)}`}`;
  if ('status' in want) {
    return res.status === want.status && code === want.code
      ? undefined
      : `${got}, want ${want.status} "${want.code}"`;
  }
  if (res.status >= 500 || DENIALS.has(res.status)) return `${got}, want the handler reached`;
  if (want.listsMatrixAlbum !== undefined) {
    // The one list route of albums answers { albums: [{ id, ... }] }.
    const albums = (res.json as { albums?: { id: string }[] } | undefined)?.albums ?? [];
    const listed = albums.some((a) => a.id === albumId);
    if (listed !== want.listsMatrixAlbum) {
      return `${got} ${listed ? 'listing' : 'not listing'} the matrix album, want the opposite`;
    }
  }
  return undefined;
}

/**
 * Calls `routes` (default: every route `target` has) as every caller of `world` on `target`
 * (default: the world's own server; a second server on the same database and blob store runs
 * a mutated build) and returns every answer that differs from the expectation tables.
 */
export async function matrixMismatches(
  world: MatrixWorld,
  options: { readonly target?: TestServer; readonly routes?: readonly string[] } = {},
): Promise<Mismatch[]> {
  const target = options.target ?? world.server;
  const running = target.app.routeTable.map(routeKey);
  const routes = options.routes ?? running;
  const mismatches: Mismatch[] = [];
  for (const route of routes) {
    const row = own(ROUTE_EXPECTATIONS, route);
    const call = own(ROUTE_CALLS, route);
    if (!running.includes(route) || row === undefined || call === undefined) {
      mismatches.push({ route, caller: null, problem: 'not both a route and a matrix row' });
      continue;
    }
    const method = route.slice(0, route.indexOf(' '));
    for (const caller of world.callers) {
      const want = expectedAnswer(row, caller.name);
      const { path, body, token, headers } = await call(world, caller);
      const bearerToken = token ?? caller.session?.accessToken;
      const res = await target.request(path, {
        method,
        headers: {
          ...headers,
          ...(bearerToken === undefined ? {} : { authorization: `Bearer ${bearerToken}` }),
        },
        ...(body === undefined ? {} : { body }),
      });
      const problem = judge(want, res, world.albumId);
      if (problem !== undefined) mismatches.push({ route, caller: caller.name, problem });
    }
  }
  return mismatches;
}
