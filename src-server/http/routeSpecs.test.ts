import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../../src-shared/cloud/allRoutes.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

/**
 * The server registers its routes from the shared contract: the running server has exactly the
 * contract's routes, each with the access its spec declares (which routeAccess.ts enforces).
 * A route added by hand, or a spec the server forgot, fails here.
 */
describe("the running server's routes", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'pglite' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('are the contract routes of src-shared/cloud, with their declared access', () => {
    const running = server.app.routeTable.map((r) => ({
      route: `${r.method} ${r.url}`,
      access: r.access,
    }));
    const contract = ALL_ROUTES.map((spec) => ({
      route: `${spec.method} ${spec.path}`,
      access: spec.access,
    }));
    const byRoute = (a: { route: string }, b: { route: string }) => a.route.localeCompare(b.route);
    expect(running.sort(byRoute)).toEqual(contract.sort(byRoute));
  });
});
