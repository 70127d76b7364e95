import { randomUUID } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createAlbumExporter } from './albums/albumExport.js';
import { registerAlbumExportRoutes } from './albums/albumExportRoutes.js';
import { registerAlbumRoutes } from './albums/albumRoutes.js';
import { createAlbumService } from './albums/albumService.js';
import { registerChangeFeedRoutes } from './albums/changeFeedRoutes.js';
import { createChangeFeedService } from './albums/changeFeedService.js';
import { registerAuditRoutes } from './audit/auditRoutes.js';
import { createAccountServices, registerAccountRoutes } from './auth/accountServices.js';
import type { PasswordHasher, PasswordPolicy } from './auth/passwords.js';
import type { BlobStore } from './blobs/blobStore.js';
import { registerLocalBlobRoutes } from './blobs/localBlobRoutes.js';
import type { LocalBlobStore } from './blobs/localBlobStore.js';
import type { ServerConfig } from './config.js';
import type { FieldCipher } from './crypto/fieldCipher.js';
import type { Db } from './db/db.js';
import type { Migration } from './db/migrations/migration.js';
import type { CountryLookup } from './geo/countryLookup.js';
import { toErrorResponse } from './http/errorResponse.js';
import { loggerOptions } from './http/logger.js';
import { installRequestPipeline } from './http/pipeline.js';
import { addressMatcher } from './http/proxyPeers.js';
import { guardRoutes, requireRouteAccess, type RouteAccessMutations } from './http/routeAccess.js';
import type { ServerMetrics } from './metrics/metrics.js';
import { registerOperatorNoticeRoutes } from './notices/operatorNoticeRoutes.js';
import { createOperatorNoticeService } from './notices/operatorNoticeService.js';
import { registerPageRoutes } from './pages/pageRoutes.js';
import { createPageService } from './pages/pageService.js';
import { registerPhotoRoutes } from './photos/photoRoutes.js';
import { createPhotoProcessor } from './photos/photoProcessor.js';
import { processPendingPhotos } from './photos/processPendingPhotos.js';
import { createPhotoService, SINGLE_PUT_MAX_BYTES } from './photos/photoService.js';
import { registerAboutRoutes } from './system/aboutRoutes.js';
import { registerHealthRoutes } from './system/healthRoutes.js';
import { registerOpenapiRoutes } from './system/openapiRoutes.js';

export interface ServerDeps {
  readonly config: Pick<
    ServerConfig,
    | 'behindProxy'
    | 'trustedProxies'
    | 'storageRegion'
    | 'bodyLimitBytes'
    | 'logLevel'
    | 'geo'
    | 'rateLimit'
  >;
  readonly db: Db;
  readonly migrations: readonly Migration[];
  /** TLS key and certificate; required unless `behindProxy` (a proxy terminates TLS). */
  readonly https: SecureContextOptions | undefined;
  readonly version: string;
  readonly logDestination: { write(line: string): void };
  /** The shipped country dataset, loaded once at start (P7). */
  readonly countryLookup: CountryLookup;
  /** This server's Prometheus registry and counters (sign-in code: `signInFailures.inc()`). */
  readonly metrics: ServerMetrics;
  /** Personal data columns (P8): AES-256-GCM with the keyring's current key. */
  readonly cipher: FieldCipher;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicy;
  /** Photos and derivatives (blobs/openBlobStore.ts): S3, or local disk. */
  readonly blobs: BlobStore;
  /** The local store, whose signed upload and download URLs this server serves. */
  readonly localBlobs?: LocalBlobStore;
  /** The clock for every expiry and lock-out; tests move it instead of waiting. */
  readonly now?: () => Date;
  /**
   * The clock of the rate-limit windows that instances share. Default: the database's (every
   * instance agrees on it); tests pass one they move instead of waiting for a window to end.
   */
  readonly rateLimitClock?: () => Date;
  /** Extra routes, registered like the built-in ones (tests use it for probe routes). */
  readonly extraRoutes?: (app: FastifyInstance) => void;
  /** Test seam (routeAccess.ts): wrong access for some routes, to prove the matrix sees it. */
  readonly routeAccessMutations?: RouteAccessMutations;
}

export class ServerSetupError extends Error {
  readonly code = 'server_setup_invalid';
}

/** Slow clients must not hold sockets forever (slowloris); uploads go to S3, not here. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Builds the API server, ready to listen. Order: framework options, security plugins, error
 * format, route guards, then routes, so every route is registered under the guards.
 */
export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config } = deps;
  if (deps.https === undefined && !config.behindProxy) {
    throw new ServerSetupError('HTTPS options are required unless behindProxy is set');
  }
  const options = {
    logger: loggerOptions(config.logLevel, deps.logDestination),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // X-Forwarded-For is believed only from the configured proxies (P7).
    trustProxy: config.behindProxy ? [...config.trustedProxies] : false,
    onProtoPoisoning: 'error' as const,
    onConstructorPoisoning: 'error' as const,
    // Request ids are ours: a client-sent id could forge log correlation.
    requestIdHeader: false as const,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle' as const,
    ajv: {
      // Reject unknown fields instead of silently dropping them (schemas say
      // additionalProperties: false); report the first problem only.
      customOptions: { removeAdditional: false, allErrors: false },
    },
  };
  const app: FastifyInstance =
    deps.https === undefined
      ? Fastify(options)
      : Fastify({ ...options, https: { ...deps.https, minVersion: 'TLSv1.2' } });

  if (config.behindProxy) {
    // Plain HTTP is only for the TLS-terminating proxy: any other peer is cut off at once.
    const isProxy = addressMatcher(config.trustedProxies);
    app.server.on('connection', (socket) => {
      if (!isProxy(socket.remoteAddress)) socket.destroy();
    });
  }

  await app.register(helmet, {
    // JSON only: nothing may load, run or frame anything from these responses.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    // Sent behind a proxy too: the client sees HTTPS, and HSTS keeps it there (P8).
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  app.addHook('onSend', async (_request, reply) => {
    // API answers may carry tenant data; no shared or browser cache keeps them.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Weebum Cloud API', version: deps.version },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      },
    },
  });

  app.setErrorHandler(async (error, request, reply) => {
    const response = toErrorResponse(error);
    if (response.unexpected) request.log.error({ err: error }, 'unexpected error');
    return reply.code(response.statusCode).send(response.body);
  });
  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: 'Not found' } }),
  );

  // Geo restriction and rate limits run before the token check; metrics and access log after
  // every response.
  const now = deps.now ?? (() => new Date());
  await installRequestPipeline(app, {
    db: deps.db,
    config,
    countryLookup: deps.countryLookup,
    metrics: deps.metrics,
    now,
    ...(deps.rateLimitClock === undefined ? {} : { rateLimitClock: deps.rateLimitClock }),
  });

  const accounts = createAccountServices({
    db: deps.db,
    cipher: deps.cipher,
    hasher: deps.hasher,
    passwordPolicy: deps.passwordPolicy,
    now,
  });
  requireRouteAccess(app, deps.routeAccessMutations);
  guardRoutes(app, {
    authenticate: (token) => accounts.sessions.authenticate(token),
    audit: deps.db,
  });

  registerHealthRoutes(app, { db: deps.db, migrations: deps.migrations });
  registerAboutRoutes(app, { version: deps.version, storageRegion: config.storageRegion });
  registerOpenapiRoutes(app);
  registerAccountRoutes(app, accounts, deps.metrics);
  registerAuditRoutes(app, { db: deps.db });
  registerOperatorNoticeRoutes(app, createOperatorNoticeService({ db: deps.db, now }));
  registerAlbumRoutes(app, createAlbumService({ db: deps.db, cipher: deps.cipher, now }));
  registerPageRoutes(app, createPageService({ db: deps.db, now }));
  // Verification and derivatives run after the completing request, not in it.
  // One photo per claim, so that uploads arriving mid-backlog pause processing between photos.
  const photoProcessor = createPhotoProcessor({
    processNext: () => processPendingPhotos(deps.db, deps.blobs, now, { limit: 1 }),
    log: (message, error) => app.log.error({ err: error }, message),
  });
  app.addHook('onReady', async () => photoProcessor.start());
  app.addHook('onClose', async () => photoProcessor.stop());
  registerPhotoRoutes(
    app,
    createPhotoService({
      db: deps.db,
      blobs: deps.blobs,
      now,
      onProcessing: photoProcessor.kick,
      onUploadActivity: photoProcessor.uploadActivity,
    }),
  );
  registerChangeFeedRoutes(app, createChangeFeedService({ db: deps.db }));
  registerAlbumExportRoutes(app, createAlbumExporter({ db: deps.db, blobs: deps.blobs, now }));
  if (deps.localBlobs !== undefined) {
    registerLocalBlobRoutes(app, deps.localBlobs, SINGLE_PUT_MAX_BYTES);
  }
  deps.extraRoutes?.(app);

  await app.ready();
  return app;
}
