import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../app.js';
import type { BlobStore } from '../blobs/blobStore.js';
import { createLocalBlobStore, type LocalBlobStore } from '../blobs/localBlobStore.js';
import { createPasswordTools } from '../auth/passwordTools.js';
import type { HashParams, PasswordHasher } from '../auth/passwords.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import {
  generateKeyringFile,
  keyringFrom,
  type Keyring,
  type KeyringFile,
} from '../crypto/keyring.js';
import type { ServerConfig } from '../config.js';
import type { Db, Queryable, Row } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { loadCountryLookup, type CountryLookup } from '../geo/countryLookup.js';
import { createMetrics, type ServerMetrics } from '../metrics/metrics.js';
import { listenMetrics, type MetricsListener } from '../metrics/metricsListener.js';
import type { RouteAccessMutations } from '../http/routeAccess.js';
import { httpsSetup } from '../tls/tlsOptions.js';
import { sendRequest, type TestRequestOptions, type TestResponse } from './httpsClient.js';
import { createTestDatabase, type Dialect, type TestDatabase } from './testDatabase.js';

export interface TestServerOptions {
  readonly dialect: Dialect;
  /** Apply migrations before starting (default true). */
  readonly migrate?: boolean;
  readonly extraRoutes?: (app: FastifyInstance) => void;
  readonly config?: Partial<ServerConfig>;
  /** Defaults to the shipped dataset, loaded once per test file. */
  readonly countryLookup?: CountryLookup;
  /**
   * Run on this server's database (postgres: through a new pool) and with its keyring instead
   * of fresh ones, as a second instance behind the same load balancer would. Close this server
   * first.
   */
  readonly shareDatabaseOf?: TestServer;
  /**
   * Run on this database (one a test made or restored) instead of a fresh one; closing the
   * server leaves it to its owner.
   */
  readonly database?: TestDatabase;
  /** The keyring to encrypt personal data with (default: a fresh one). */
  readonly keyringFile?: KeyringFile;
  /** The server's clock (default: real time); tests move it to expire tokens and passwords. */
  readonly now?: () => Date;
  /** Sees every statement the server sends, to count round trips (`BEGIN` for each transaction). */
  readonly observeQueries?: (sql: string) => void;
  /** Deliberately wrong route access (authorizationMutations.test.ts); see routeAccess.ts. */
  readonly routeAccessMutations?: RouteAccessMutations;
  /**
   * Wraps the password hasher the server uses (e.g. to count verifications); the server gets
   * whatever this returns.
   */
  readonly hasher?: (real: PasswordHasher) => PasswordHasher;
  /** The shared rate-limit windows' clock (default: the database's). */
  readonly rateLimitClock?: () => Date;
  /**
   * The blob store (default: local disk in the data directory, URLs served by this server).
   * `baseUrl` answers once the server listens.
   */
  readonly blobStore?: (context: BlobStoreContext) => Promise<TestBlobStore>;
}

export interface BlobStoreContext {
  readonly dataDir: string;
  readonly baseUrl: () => string;
  /** The server's keyring (the local store encrypts under it). */
  readonly keyring: Keyring;
}

/**
 * argon2id far below production cost, only so the suites stay fast; production parameters are
 * tested in auth/passwords.test.ts and hashes made with these are upgraded by needsRehash.
 */
export const TEST_HASH_PARAMS: HashParams = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

let sharedLookup: Promise<CountryLookup> | undefined;
/** Loading the dataset takes about a second: every server of a test file shares one. */
export function sharedCountryLookup(): Promise<CountryLookup> {
  sharedLookup ??= loadCountryLookup();
  return sharedLookup;
}

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
  readonly metrics: ServerMetrics;
  /** `http://127.0.0.1:<port>/metrics` when `config.metrics.port` is set, else undefined. */
  readonly metricsUrl: string | undefined;
  readonly blobs: BlobStore;
  /** The local blob store when the server runs on one (the default). */
  readonly localBlobs: LocalBlobStore | undefined;
  /** Requests trust the test CA unless `ca` is given. */
  readonly request: (path: string, options?: TestRequestOptions) => Promise<TestResponse>;
  readonly close: () => Promise<void>;
}

function observedDb(db: Db, observe: (sql: string) => void): Db {
  const observed = (q: Queryable): Queryable => ({
    query: <T extends Row>(sql: string, params?: readonly unknown[]) => {
      observe(sql);
      return q.query<T>(sql, params);
    },
  });
  return {
    ...observed(db),
    transaction: (fn) => {
      observe('BEGIN');
      return db.transaction((tx) => fn(observed(tx)));
    },
    withConnection: (fn) => db.withConnection((conn) => fn(observed(conn))),
    close: () => db.close(),
    dialect: db.dialect,
  };
}

/**
 * Starts the real server on an ephemeral port of 127.0.0.1, over HTTPS with a fresh local CA
 * (or plain HTTP when `config.behindProxy`), on its own database.
 */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weebum-test-'));
  const database =
    options.database !== undefined
      ? { ...options.database, dispose: () => Promise.resolve() }
      : options.shareDatabaseOf === undefined
        ? await createTestDatabase(options.dialect, join(dataDir, 'pglite'))
        : borrowDatabase(options.shareDatabaseOf.database);
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
      // Loopback (the test client) is always allowed; tests of other sources go through a proxy.
      geo: { allowedCountries: ['JP'], allowCidrs: [], allowUnknown: false, allowLoopback: true },
      rateLimit: { max: 10_000, strictMax: 1_000, windowSeconds: 60 },
      metrics: { host: '127.0.0.1', port: undefined },
      blobs: { s3: undefined },
      mail: { smtpUrl: undefined, from: 'Weebum <notice@weebum.invalid>' },
      ...options.config,
    };
    const tls = config.behindProxy ? undefined : httpsSetup(config);
    const logs: string[] = [];
    const metrics = createMetrics();
    const keyringFile =
      options.keyringFile ??
      options.shareDatabaseOf?.keyringFile ??
      generateKeyringFile(new Date());
    let baseUrl = '';
    const blobs = await (options.blobStore ?? localBlobs)({
      dataDir,
      baseUrl: () => baseUrl,
      keyring: keyringFrom(keyringFile),
    });
    const tools = await createPasswordTools(TEST_HASH_PARAMS);
    const app = await createServer({
      config,
      db:
        options.observeQueries === undefined
          ? database.db
          : observedDb(database.db, options.observeQueries),
      migrations: MIGRATIONS,
      https: tls?.options,
      version: '0.0.0-test',
      logDestination: { write: (line) => void logs.push(line) },
      countryLookup: options.countryLookup ?? (await sharedCountryLookup()),
      metrics,
      cipher: createFieldCipher(keyringFrom(keyringFile)),
      hasher: options.hasher === undefined ? tools.hasher : options.hasher(tools.hasher),
      passwordPolicy: tools.passwordPolicy,
      blobs: blobs.store,
      ...(blobs.local === undefined ? {} : { localBlobs: blobs.local }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.rateLimitClock === undefined ? {} : { rateLimitClock: options.rateLimitClock }),
      ...(options.extraRoutes === undefined ? {} : { extraRoutes: options.extraRoutes }),
      ...(options.routeAccessMutations === undefined
        ? {}
        : { routeAccessMutations: options.routeAccessMutations }),
    });
    await app.listen({ host: config.host, port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const url = `${config.behindProxy ? 'http' : 'https'}://127.0.0.1:${port}`;
    baseUrl = url;
    const ca = tls?.localCaFile === undefined ? Buffer.alloc(0) : readFileSync(tls.localCaFile);
    const metricsPort = config.metrics.port;
    const metricsListener: MetricsListener | undefined =
      metricsPort === undefined
        ? undefined
        : await listenMetrics(metrics.registry, { host: config.metrics.host, port: metricsPort });
    return {
      url,
      ca,
      dataDir,
      app,
      database,
      logs,
      keyringFile,
      metrics,
      metricsUrl: metricsListener?.url,
      blobs: blobs.store,
      localBlobs: blobs.local,
      request: (path, requestOptions = {}) =>
        sendRequest(`${url}${path}`, { ca, ...requestOptions }),
      close: async () => {
        await metricsListener?.close();
        await app.close();
        await blobs.close?.();
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

export interface TestBlobStore {
  readonly store: BlobStore;
  readonly local?: LocalBlobStore;
  readonly close?: () => Promise<void>;
}

/**
 * The default: files in the test's data directory, encrypted under the server's keyring, with a
 * random URL-signing key.
 */
function localBlobs(context: BlobStoreContext): Promise<TestBlobStore> {
  const local = createLocalBlobStore({
    root: join(context.dataDir, 'blobs'),
    secret: randomBytes(32),
    baseUrl: context.baseUrl,
    keyring: context.keyring,
    plainObjects: 'refuse',
  });
  return Promise.resolve({ store: local.store, local });
}

/** Another handle on a database someone else owns: closing it leaves the database alone. */
function borrowDatabase(owner: TestDatabase): TestDatabase {
  return {
    ...owner,
    // PGlite has one handle per data directory; PostgreSQL gets a pool of its own.
    db: owner.dialect === 'postgres' ? owner.connect() : owner.db,
    dispose: () => Promise.resolve(),
  };
}
