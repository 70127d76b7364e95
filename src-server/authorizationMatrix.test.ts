import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, errorCodeOf, movableClock } from './testing/accountFixtures.js';
import {
  describeMismatch,
  matrixCoverage,
  matrixMismatches,
} from './testing/authorizationMatrix.js';
import { buildMatrixWorld, type MatrixWorld } from './testing/matrixWorld.js';
import { DIALECTS } from './testing/testDatabase.js';
import { startTestServer } from './testing/testServer.js';

/**
 * P5, P15: every route the running server has, called as nobody, as each role of the tenant
 * that owns the objects, as each role of two other tenants, with a temporary password, and as
 * the operator. What each must get is written out by hand in testing/matrixExpectations.ts
 * (route to action, action to roles, who sees the matrix album and studio A's users), never
 * asked of the code under test; a 5xx is always wrong. A route without a row there, or a row
 * for a route the server lacks, fails the test. authorizationMutations.test.ts proves the
 * matrix catches deliberately wrong route access and a skipped visibility check.
 */
describe.each(DIALECTS)('authorization matrix on %s', (dialect) => {
  let world: MatrixWorld;

  beforeAll(async () => {
    const clock = movableClock();
    const server = await startTestServer({ dialect, now: clock.now });
    // One refresh token per caller for the refresh route, and a few spare.
    world = await buildMatrixWorld(server, clock.now, 20);
  });
  afterAll(async () => {
    await world?.server.close();
  });

  it('has a row for every route the server has, and none for a route it lacks', () => {
    expect(world.server.app.routeTable.length).toBeGreaterThan(15);
    expect(matrixCoverage(world.server.app.routeTable)).toEqual({ unlisted: [], stale: [] });
  });

  it('answers every route for every caller as the hand-written tables say', async () => {
    const mismatches = await matrixMismatches(world);
    expect(mismatches.map(describeMismatch)).toEqual([]);
    // Every route × every caller, one after another: over the default on a loaded machine.
  }, 180_000);

  it('shows audit events to tenant admins for their tenant only, to the operator its own, in UTC or JST', async () => {
    const adminA = as(world.server, world.admins.A.accessToken);
    const utc = await adminA('/v1/audit-events?limit=50');
    expect(utc.status).toBe(200);
    const events = (utc.json as { events: { tenantId: string; occurredAt: string }[] }).events;
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.tenantId))).toEqual(new Set([world.tenantIds.A]));
    expect(events[0]?.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const jst = await adminA('/v1/audit-events?limit=50&tz=Asia/Tokyo');
    const jstEvents = (jst.json as { events: { id: string; occurredAt: string }[] }).events;
    expect(jstEvents[0]?.occurredAt).toMatch(/\+09:00$/);
    expect(new Date(jstEvents[0]?.occurredAt ?? '').getTime()).toBe(
      new Date(events[0]?.occurredAt ?? '').getTime(),
    );
    // The operator sees the platform's events and its own acts in tenants (making them, their
    // first admins), never a tenant's own activity such as admin A creating users.
    const operatorCall = as(world.server, world.operator.accessToken);
    const operatorId = ((await operatorCall('/v1/me')).json as { id: string }).id;
    const adminAId = ((await adminA('/v1/me')).json as { id: string }).id;
    const seen = (
      (await operatorCall('/v1/audit-events?limit=500')).json as {
        events: { id: string; tenantId: string | null; actorId: string | null }[];
      }
    ).events;
    expect(seen.filter((e) => e.tenantId !== null && e.actorId !== operatorId)).toEqual([]);
    expect(seen.some((e) => e.tenantId === world.tenantIds.B)).toBe(true);
    expect(seen.some((e) => e.tenantId === null)).toBe(true);
    const byAdminA = (
      (await adminA('/v1/audit-events?limit=500')).json as {
        events: { id: string; actorId: string | null }[];
      }
    ).events.filter((e) => e.actorId === adminAId);
    expect(byAdminA.length).toBeGreaterThan(0);
    const seenIds = new Set(seen.map((e) => e.id));
    expect(byAdminA.filter((e) => seenIds.has(e.id))).toEqual([]);
    const bad = await adminA('/v1/audit-events?tz=America/New_York');
    expect(bad.status).toBe(400);
    expect(errorCodeOf(bad)).toBe('validation_failed');
  });
});
