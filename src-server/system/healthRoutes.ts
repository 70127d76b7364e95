import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/db.js';
import { migrationsCurrent } from '../db/migrate.js';
import type { Migration } from '../db/migrations/migration.js';
import { ApiError } from '../http/apiError.js';
import { systemApi } from '../../src-shared/cloud/system.js';
import { addRoute } from '../http/route.js';

/** A load balancer must get an answer quickly even when the database hangs. */
const READY_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { db: Db; migrations: readonly Migration[] },
): void {
  // Liveness: the process answers. Deliberately no database call, so a database outage does
  // not make an orchestrator restart healthy servers.
  addRoute(app, systemApi.liveness, {
    handler: () => ({ status: 'ok' }),
  });

  // Readiness (P16): take traffic only with a reachable database and the schema this release
  // expects, so a blue-green switch waits for migrations.
  addRoute(app, systemApi.readiness, {
    handler: async ({ request }) => {
      let current: boolean;
      try {
        current = await withTimeout(migrationsCurrent(deps.db, deps.migrations), READY_TIMEOUT_MS);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database check failed');
        throw new ApiError(503, 'not_ready', 'Database unreachable');
      }
      if (!current) throw new ApiError(503, 'not_ready', 'Database migrations pending');
      return { status: 'ready' };
    },
  });
}
