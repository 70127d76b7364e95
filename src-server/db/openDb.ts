import { join } from 'node:path';
import type { ServerConfig } from '../config.js';
import type { Db } from './db.js';
import { createPgDb } from './pgDb.js';
import { createPgliteDb } from './pgliteDb.js';

/** PostgreSQL when DATABASE_URL is set, else embedded PGlite in `<dataDir>/pglite`. */
export function openDb(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>,
  onIdleError: (error: Error) => void,
): Promise<Db> {
  if (config.databaseUrl !== undefined) {
    return Promise.resolve(createPgDb({ connectionString: config.databaseUrl, onIdleError }));
  }
  return createPgliteDb(join(config.dataDir, 'pglite'));
}
