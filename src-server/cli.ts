import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createServer } from './app.js';
import {
  ACCOUNT_COMMAND_HELP,
  parseAccountCommand,
  runAccountCommand,
  type AccountCommand,
} from './auth/accountCommands.js';
import { createPasswordTools } from './auth/passwordTools.js';
import {
  BACKUP_COMMAND_HELP,
  parseBackupCommand,
  runBackupCommand,
} from './backups/backupCommands.js';
import { openBlobStore } from './blobs/openBlobStore.js';
import { loadConfig, type ServerConfig } from './config.js';
import type { Db } from './db/db.js';
import { migrate } from './db/migrate.js';
import { MIGRATIONS } from './db/migrations/index.js';
import { backupJob } from './backups/backupJob.js';
import { backupSourceFor } from './backups/databaseDump.js';
import { openDb } from './db/openDb.js';
import { createFieldCipher } from './crypto/fieldCipher.js';
import { loadKeyring } from './keys/loadKeyring.js';
import { loadCountryLookup } from './geo/countryLookup.js';
import { createMetrics } from './metrics/metrics.js';
import { listenMetrics, type MetricsListener } from './metrics/metricsListener.js';
import { httpsSetup } from './tls/tlsOptions.js';
import { createJobScheduler, jobRegistry, runJob } from './jobs/jobRunner.js';
import { serverJobs } from './jobs/serverJobs.js';
import { createMailer } from './notices/mailer.js';

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Where structured logs go (stderr in production: stdout carries the ready line). */
  readonly logDestination: { write(line: string): void };
  readonly cwd: string;
  /** Resolves with the signal's name when the process is asked to stop. */
  readonly waitForStop: () => Promise<string>;
}

/** A draining server that has not finished by then exits anyway: blue-green must not hang. */
const DRAIN_TIMEOUT_MS = 20_000;

const HELP = `Usage: weebum-server <command>

Commands:
  serve     apply migrations, then serve the API until SIGTERM or SIGINT
  migrate   apply pending database migrations and exit
  jobs run <name> [--now <ISO time>]
            run one scheduled job now (at a chosen time with --now); jobs list shows names
${ACCOUNT_COMMAND_HELP}
${BACKUP_COMMAND_HELP}
  help      show this text

Configuration comes from the environment and an optional JSON file (WEEBUM_CONFIG);
see docs/server.md.`;

/** Exit codes: 0 done, 1 failed at runtime, 2 bad usage or configuration. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(HELP);
    return command === undefined ? 2 : 0;
  }
  const accountCommand = parseAccountCommand(command, rest);
  if (accountCommand !== undefined && !accountCommand.ok) {
    io.stderr(`weebum-server ${command}: ${accountCommand.error}`);
    return 2;
  }
  const jobsCommand = command === 'jobs' ? parseJobsCommand(rest) : undefined;
  if (jobsCommand !== undefined && !jobsCommand.ok) {
    io.stderr(`weebum-server jobs: ${jobsCommand.error}`);
    return 2;
  }
  const backupCommand = parseBackupCommand(command, rest);
  if (backupCommand !== undefined && !backupCommand.ok) {
    io.stderr(`weebum-server ${command}: ${backupCommand.error}`);
    return 2;
  }
  const special = accountCommand ?? jobsCommand ?? backupCommand;
  if (special === undefined && command !== 'serve' && command !== 'migrate') {
    io.stderr(`weebum-server: unknown command "${command}" (try "weebum-server help")`);
    return 2;
  }
  if (special === undefined && rest.length > 0) {
    io.stderr(`weebum-server ${command}: unexpected arguments: ${rest.join(' ')}`);
    return 2;
  }
  const loaded = loadConfig({ env, cwd: io.cwd });
  if (!loaded.ok) {
    io.stderr(`weebum-server: invalid configuration:\n${loaded.error.message}`);
    return 2;
  }
  const config = loaded.value;
  try {
    if (accountCommand !== undefined) {
      return await runAccount(accountCommand.value, config, env, io);
    }
    if (jobsCommand !== undefined) {
      return await runJobsCommand(jobsCommand.value, config, env, io);
    }
    if (backupCommand !== undefined) {
      return await runBackupCommand(backupCommand.value, config, env, io);
    }
    return command === 'migrate' ? await runMigrate(config, io) : await runServe(config, env, io);
  } catch (error) {
    // Operators get the reason in one line; the stack is for the log, not the terminal.
    io.stderr(`weebum-server ${command}: ${describe(error)}`);
    return 1;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

async function withDb<T>(config: ServerConfig, io: CliIo, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(config, (error) =>
    io.stderr(`weebum-server: database connection error: ${error.message}`),
  );
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function runMigrate(config: ServerConfig, io: CliIo): Promise<number> {
  const applied = await withDb(config, io, (db) => migrate(db, MIGRATIONS));
  io.stdout(
    applied.length === 0
      ? 'Database schema is current.'
      : `Applied migrations: ${applied.join(', ')}.`,
  );
  return 0;
}

/** Account, tenant and key commands run on a migrated database. */
async function runAccount(
  cmd: AccountCommand,
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  return withDb(config, io, async (db) => {
    await migrate(db, MIGRATIONS);
    return runAccountCommand(cmd, {
      db,
      dataDir: config.dataDir,
      env,
      stdout: io.stdout,
      stderr: io.stderr,
      now: () => new Date(),
    });
  });
}

type JobsCommand = { kind: 'list' } | { kind: 'run'; name: string; now: Date | undefined };

function parseJobsCommand(
  args: readonly string[],
): { ok: true; value: JobsCommand } | { ok: false; error: string } {
  const [sub, ...rest] = args;
  if (sub === 'list' && rest.length === 0) return { ok: true, value: { kind: 'list' } };
  if (sub !== 'run')
    return { ok: false, error: 'usage: jobs run <name> [--now <ISO time>] | jobs list' };
  const [name, flag, value, ...extra] = rest;
  if (name === undefined || name.startsWith('-')) {
    return { ok: false, error: 'jobs run needs a job name (see "weebum-server jobs list")' };
  }
  if (flag === undefined) return { ok: true, value: { kind: 'run', name, now: undefined } };
  const at = value === undefined ? undefined : new Date(value);
  if (flag !== '--now' || at === undefined || Number.isNaN(at.getTime()) || extra.length > 0) {
    return { ok: false, error: '--now needs an ISO 8601 time, e.g. 2027-04-01T03:00:00+09:00' };
  }
  return { ok: true, value: { kind: 'run', name, now: at } };
}

/** Runs one job under its lock; exit 1 if another runner holds it (nothing was done). */
async function runJobsCommand(
  cmd: JobsCommand,
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  const { keyring } = await loadKeyring(env, config.dataDir, new Date());
  const mailer = createMailer(config.mail, config.dataDir);
  const registry = jobRegistry(
    serverJobs({
      cipher: createFieldCipher(keyring),
      mailer,
      extra: [backupJob({ keyring, sourceFor: (db) => backupSourceFor(db, config.databaseUrl) })],
    }),
  );
  if (cmd.kind === 'list') {
    for (const job of registry.values()) io.stdout(job.name);
    return 0;
  }
  const job = registry.get(cmd.name);
  if (job === undefined) {
    io.stderr(`weebum-server jobs: unknown job "${cmd.name}" (see "weebum-server jobs list")`);
    return 2;
  }
  const blobs = await openBlobStore(config, () => '', keyring);
  try {
    return await withDb(config, io, async (db) => {
      await migrate(db, MIGRATIONS);
      const fixed = cmd.now;
      const outcome = await runJob(job, {
        db,
        blobs: blobs.store,
        now: fixed === undefined ? () => new Date() : () => fixed,
        log: (message, fields) => io.stderr(`${message} ${JSON.stringify(fields ?? {})}`),
      });
      if (outcome.status === 'busy') {
        io.stderr(`weebum-server jobs: ${job.name} is running elsewhere; nothing done`);
        return 1;
      }
      io.stdout(`${job.name}: ${outcome.status === 'done' ? outcome.processed : 0} processed.`);
      return 0;
    });
  } finally {
    blobs.close();
    mailer.close();
  }
}

async function runServe(
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  const tls = config.behindProxy ? undefined : httpsSetup(config);
  const { keyring, source } = await loadKeyring(env, config.dataDir, new Date());
  if (source.kind === 'file' && config.databaseUrl !== undefined) {
    // Instances sharing a database must share one keyring, which a per-host file cannot ensure.
    io.stderr(
      `weebum-server serve: warning: WEEBUM_KEYRING is not set; using the development key file ${source.path}`,
    );
  }
  const passwordTools = await createPasswordTools();
  // Once per process: the shipped dataset takes about a second to load (P7).
  const countryLookup = await loadCountryLookup();
  const metrics = createMetrics();
  const cipher = createFieldCipher(keyring);
  // Local-store URLs point at this server; its address is known once it listens.
  let baseUrl = '';
  const blobs = await openBlobStore(config, () => baseUrl, keyring);
  return withDb(config, io, async (db) => {
    await migrate(db, MIGRATIONS);
    const app = await createServer({
      config,
      db,
      migrations: MIGRATIONS,
      https: tls?.options,
      version: packageVersion(),
      logDestination: io.logDestination,
      countryLookup,
      metrics,
      cipher,
      ...passwordTools,
      blobs: blobs.store,
      ...(blobs.local === undefined ? {} : { localBlobs: blobs.local }),
    });
    await app.listen({ host: config.host, port: config.port });
    baseUrl = listenUrl(app, config);
    let metricsListener: MetricsListener | undefined;
    if (config.metrics.port !== undefined) {
      metricsListener = await listenMetrics(metrics.registry, {
        host: config.metrics.host,
        port: config.metrics.port,
      }).catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
      app.log.info({ url: metricsListener.url }, 'metrics listening');
    }
    const trust =
      tls === undefined
        ? 'behind proxy'
        : tls.localCaFile === undefined
          ? 'configured certificate'
          : `trust CA: ${tls.localCaFile}`;
    io.stdout(`Weebum Cloud listening on ${listenUrl(app, config)} (${trust})`);
    // Deadlines, cleanups and notices (issue 8): every instance schedules them; job locks
    // make each run happen once.
    const mailer = createMailer(config.mail, config.dataDir);
    const scheduler = createJobScheduler({
      jobs: serverJobs({
        cipher,
        mailer,
        extra: [
          backupJob({ keyring, sourceFor: (open) => backupSourceFor(open, config.databaseUrl) }),
        ],
      }),
      context: {
        db,
        blobs: blobs.store,
        now: () => new Date(),
        log: (message, fields) => app.log.info(fields ?? {}, message),
      },
    });
    scheduler.start();

    const signal = await io.waitForStop();
    app.log.info({ signal }, 'stopping: draining in-flight requests');
    await Promise.all([drain(app), metricsListener?.close(), scheduler.stop()]);
    mailer.close();
    blobs.close();
    return 0;
  });
}

async function drain(app: FastifyInstance): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      app.log.warn('drain timed out; closing remaining connections');
      app.server.closeAllConnections();
      resolve();
    }, DRAIN_TIMEOUT_MS);
  });
  await Promise.race([app.close(), timeout]).finally(() => clearTimeout(timer));
}

function listenUrl(app: FastifyInstance, config: ServerConfig): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.behindProxy ? 'http' : 'https'}://${host}:${port}`;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  const version =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)['version']
      : undefined;
  return typeof version === 'string' ? version : '0.0.0';
}
