import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../app.js';
import { createPasswordTools } from '../auth/passwordTools.js';
import type { HashParams } from '../auth/passwords.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import { generateKeyringFile, keyringFrom, type KeyringFile } from '../crypto/keyring.js';
import type { ServerConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { httpsSetup } from '../tls/tlsOptions.js';
import { sendRequest, type TestRequestOptions, type TestResponse } from './httpsClient.js';
import { createTestDatabase, type Dialect, type TestDatabase } from './testDatabase.js';

export interface TestServerOptions {
  readonly dialect: Dialect;
  /** Apply migrations before starting (default true). */
  readonly migrate?: boolean;
  readonly extraRoutes?: (app: FastifyInstance) => void;
  readonly config?: Partial<ServerConfig>;
  /** The server's clock (default: real time); tests move it to expire tokens and passwords. */
  readonly now?: () => Date;
}

/**
 * argon2id far below production cost, only so the suites stay fast; production parameters are
 * tested in auth/passwords.test.ts and hashes made with these are upgraded by needsRehash.
 */
export const TEST_HASH_PARAMS: HashParams = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestServer {
  /** e.g. https://127.0.0.1:41234 */
  readonly url: string;
  readonly ca: Buffer;
  readonly dataDir: string;
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  /** Every structured log line the server wrote. */
  readonly logs: string[];
  /** The in-memory keyring the server encrypts personal data with. */
  readonly keyringFile: KeyringFile;
  /** Requests trust the test CA unless `ca` is given. */
  readonly request: (path: string, options?: TestRequestOptions) => Promise<TestResponse>;
  readonly close: () => Promise<void>;
}

/**
 * Starts the real server on an ephemeral port of 127.0.0.1, over HTTPS with a fresh local CA
 * (or plain HTTP when `config.behindProxy`), on its own database.
 */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weebum-test-'));
  const database = await createTestDatabase(options.dialect, join(dataDir, 'pglite'));
  try {
    if (options.migrate !== false) await migrate(database.db, MIGRATIONS);
    const config: ServerConfig = {
      dataDir,
      host: '127.0.0.1',
      port: 0,
      databaseUrl: database.url,
      tls: undefined,
      behindProxy: false,
      trustedProxies: [],
      storageRegion: 'ap-northeast-1',
      bodyLimitBytes: 1024 * 1024,
      logLevel: 'info',
      ...options.config,
    };
    const tls = config.behindProxy ? undefined : httpsSetup(config);
    const logs: string[] = [];
    const keyringFile = generateKeyringFile(new Date());
    const app = await createServer({
      config,
      db: database.db,
      migrations: MIGRATIONS,
      https: tls?.options,
      version: '0.0.0-test',
      logDestination: { write: (line) => void logs.push(line) },
      cipher: createFieldCipher(keyringFrom(keyringFile)),
      ...(await createPasswordTools(TEST_HASH_PARAMS)),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.extraRoutes === undefined ? {} : { extraRoutes: options.extraRoutes }),
    });
    await app.listen({ host: config.host, port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const url = `${config.behindProxy ? 'http' : 'https'}://127.0.0.1:${port}`;
    const ca = tls?.localCaFile === undefined ? Buffer.alloc(0) : readFileSync(tls.localCaFile);
    return {
      url,
      ca,
      dataDir,
      app,
      database,
      logs,
      keyringFile,
      request: (path, requestOptions = {}) =>
        sendRequest(`${url}${path}`, { ca, ...requestOptions }),
      close: async () => {
        await app.close();
        await database.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.dispose();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
