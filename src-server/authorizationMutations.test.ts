import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AlbumAccess from './albums/albumAccess.js';
import type { canSeeAlbum } from './albums/albumAccess.js';
import type { RouteAccess } from '../src-shared/cloud/routeSpec.js';
import { movableClock } from './testing/accountFixtures.js';
import { describeMismatch, matrixMismatches } from './testing/authorizationMatrix.js';
import type { CallerName } from './testing/matrixExpectations.js';
import { buildMatrixWorld, type MatrixWorld } from './testing/matrixWorld.js';
import { startTestServer } from './testing/testServer.js';

/**
 * The authorization matrix must notice when a route's access is wrong: each row below breaks
 * one route on purpose, in memory, in a second server on the matrix world's database, runs the
 * matrix rows of that route only, and requires the matrix to report the callers the break lets
 * through (or shuts out).
 */

/** The album visibility check as this file's servers run it: the real one unless mutated. */
const visibility = vi.hoisted(() => ({
  mutated: undefined as ((...args: Parameters<typeof canSeeAlbum>) => boolean) | undefined,
}));
vi.mock('./albums/albumAccess.js', async (importOriginal) => {
  const real = await importOriginal<typeof AlbumAccess>();
  return {
    ...real,
    canSeeAlbum: (...args: Parameters<typeof canSeeAlbum>) =>
      (visibility.mutated ?? real.canSeeAlbum)(...args),
  };
});

interface Mutation {
  readonly name: string;
  readonly route: string;
  /** The route's access replaced by this (routeAccess.ts's test seam)... */
  readonly access?: RouteAccess;
  /** ...or the album visibility check replaced by this. */
  readonly canSee?: (...args: Parameters<typeof canSeeAlbum>) => boolean;
  /** Callers whose row of the route the matrix must report. */
  readonly reported: readonly CallerName[];
}

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'deleting users needs only user.read (designers delete users)',
    route: 'DELETE /v1/users/:id',
    access: { action: 'user.read' },
    reported: ['designer@A', 'designer@A(out)', 'designer@B'],
  },
  {
    name: "a tenant admin's route is public",
    route: 'POST /v1/users/:id/reset-password',
    access: { public: true },
    reported: ['studio_admin@A', 'designer@A', 'designer@B', 'operator'],
  },
  {
    name: 'managing album members (studio and school admins) is opened to designers and staff',
    route: 'POST /v1/albums/:albumId/members',
    access: { action: 'album.read' },
    reported: ['designer@A', 'school_staff@C'],
  },
  {
    name: "an album's pages skip the visibility check",
    route: 'GET /v1/albums/:albumId/pages',
    canSee: () => true,
    reported: ['designer@A(out)', 'school_staff@C(out)'],
  },
  {
    name: 'the album list skips the visibility check',
    route: 'GET /v1/albums',
    canSee: () => true,
    reported: ['designer@A(out)', 'school_staff@C(out)'],
  },
  {
    name: "the operator's tenant routes are opened to tenant admins",
    route: 'PATCH /v1/tenants/:id',
    access: { action: 'user.manage' },
    reported: ['studio_admin@A', 'studio_admin@B', 'school_admin@C', 'operator'],
  },
  {
    name: 'a temporary password no longer reaches the password change',
    route: 'POST /v1/me/password',
    access: { action: 'self.manage' },
    reported: ['designer@A(temporary)'],
  },
];

describe('authorization matrix against deliberate mutations', () => {
  let world: MatrixWorld;

  beforeAll(async () => {
    const clock = movableClock();
    const server = await startTestServer({ dialect: 'pglite', now: clock.now });
    world = await buildMatrixWorld(server, clock.now, 5);
  });
  afterAll(async () => {
    await world?.server.close();
  });

  /** Another instance on the world's database and blob store, built with `mutation`. */
  async function runMutated(mutation: Mutation | undefined, routes: readonly string[]) {
    const target = await startTestServer({
      dialect: 'pglite',
      shareDatabaseOf: world.server,
      blobStore: () =>
        Promise.resolve({ store: world.server.blobs, local: world.server.localBlobs }),
      ...(mutation?.access === undefined
        ? {}
        : { routeAccessMutations: new Map([[mutation.route, mutation.access]]) }),
    });
    visibility.mutated = mutation?.canSee;
    try {
      return await matrixMismatches(world, { target, routes });
    } finally {
      visibility.mutated = undefined;
      await target.close();
    }
  }

  it('finds nothing wrong with the unmutated routes on a second instance', async () => {
    const mismatches = await runMutated(
      undefined,
      MUTATIONS.map((m) => m.route),
    );
    expect(mismatches.map(describeMismatch)).toEqual([]);
  }, 60_000);

  it.each(MUTATIONS)('catches: $name', async (mutation) => {
    const mismatches = await runMutated(mutation, [mutation.route]);
    const reported = mismatches.map((m) => m.caller);
    expect(reported, mismatches.map(describeMismatch).join('\n')).toEqual(
      expect.arrayContaining([...mutation.reported]),
    );
  });
});
