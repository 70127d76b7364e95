import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db } from '../db/db.js';
import type { PgliteDb } from '../db/pgliteDb.js';

/**
 * What a backup is made from and restored into. PostgreSQL uses its own tools (pg_dump's custom
 * format, pg_restore in one transaction); PGlite's backup is its data directory as a tarball,
 * which it makes and loads itself (held in memory: PGlite is the single-machine default).
 */
export type BackupSource =
  | { readonly dialect: 'postgres'; readonly url: string }
  | { readonly dialect: 'pglite'; readonly dumpDataDir: () => Promise<Buffer> };

/** For wiring: the configured database's source (openDb gives PGlite when no URL is set). */
export function backupSourceFor(db: Db, databaseUrl: string | undefined): BackupSource {
  if (databaseUrl !== undefined) return { dialect: 'postgres', url: databaseUrl };
  const pglite = db as Partial<PgliteDb>;
  if (db.dialect !== 'pglite' || typeof pglite.dumpDataDir !== 'function') {
    throw new Error('backups need DATABASE_URL or the embedded PGlite database');
  }
  const dump = pglite.dumpDataDir.bind(db);
  return { dialect: 'pglite', dumpDataDir: () => dump() };
}

export type RestoreTarget =
  | { readonly dialect: 'postgres'; readonly url: string }
  | { readonly dialect: 'pglite'; readonly dataDir: string };

export class BackupError extends Error {
  override readonly name = 'BackupError';
  constructor(
    readonly code:
      | 'backup_dump_failed'
      | 'backup_not_found'
      | 'backup_dialect_mismatch'
      | 'restore_target_not_empty'
      | 'restore_failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The password goes to the child in PGPASSWORD, not on its command line, where every local
 * user could read it in the process list.
 */
function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    dbname: parsed.toString(),
    env: { ...process.env, ...(password === '' ? {} : { PGPASSWORD: password }) },
  };
}

/** Last lines of a tool's stderr for the error message (never contains the password). */
function collectStderr(stream: Readable): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-2000);
  });
  return () => text.trim();
}

/** The plaintext dump as a stream; it errors if the dump tool fails. */
export async function dumpDatabase(source: BackupSource): Promise<Readable> {
  if (source.dialect === 'pglite') {
    const out = new PassThrough();
    out.end(await source.dumpDataDir());
    return out;
  }
  const { dbname, env } = connectionFor(source.url);
  const child = spawn(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-privileges', `--dbname=${dbname}`],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr = collectStderr(child.stderr);
  const out = new PassThrough();
  child.stdout.pipe(out, { end: false });
  child.on('error', (error) => out.destroy(error));
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new BackupError('backup_dump_failed', `pg_dump failed: ${stderr()}`));
  });
  return out;
}

/** "Empty" means no table, sequence or view in the public schema (a fresh CREATE DATABASE). */
async function assertPostgresEmpty(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')`,
    );
    if (rows[0]?.n !== '0') {
      throw new BackupError(
        'restore_target_not_empty',
        'the target database is not empty; restore only into a new, empty database',
      );
    }
  } finally {
    await client.end();
  }
}

async function assertDirectoryEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) {
    throw new BackupError(
      'restore_target_not_empty',
      `the target data directory ${dir} is not empty; restore only into an empty one`,
    );
  }
}

/** Refuses before anything is read or written, so a refused restore changes nothing. */
export async function assertRestoreTargetEmpty(target: RestoreTarget): Promise<void> {
  if (target.dialect === 'postgres') await assertPostgresEmpty(target.url);
  else await assertDirectoryEmpty(target.dataDir);
}

/**
 * Loads a plaintext dump into an empty target. `plaintext` errors if the backup fails
 * authentication; the restore then must not commit: pg_restore runs in one transaction and is
 * killed before its input ends, and PGlite loads only a tarball that was read to the end.
 */
export async function restoreDatabase(target: RestoreTarget, plaintext: Readable): Promise<void> {
  if (target.dialect === 'pglite') {
    const chunks: Buffer[] = [];
    for await (const chunk of plaintext as AsyncIterable<Buffer>) chunks.push(chunk);
    try {
      const pglite = await PGlite.create({
        dataDir: target.dataDir,
        loadDataDir: new Blob([Buffer.concat(chunks)]),
      });
      await pglite.close();
    } catch (error) {
      await rm(target.dataDir, { recursive: true, force: true });
      throw new BackupError('restore_failed', `PGlite could not load the backup: ${String(error)}`);
    }
    return;
  }
  const { dbname, env } = connectionFor(target.url);
  const child = spawn(
    'pg_restore',
    [
      '--single-transaction',
      '--exit-on-error',
      '--no-owner',
      '--no-privileges',
      `--dbname=${dbname}`,
    ],
    { env, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const stderr = collectStderr(child.stderr);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  try {
    await pipeline(plaintext, child.stdin);
  } catch (error) {
    // Killed before its input ended, pg_restore never reaches COMMIT.
    child.kill('SIGKILL');
    await exited.catch(() => undefined);
    // A broken pipe means pg_restore stopped on an error of its own: report that one.
    if ((error as { code?: unknown }).code === 'EPIPE') {
      throw new BackupError('restore_failed', `pg_restore failed: ${stderr()}`);
    }
    throw error;
  }
  const code = await exited;
  if (code !== 0) throw new BackupError('restore_failed', `pg_restore failed: ${stderr()}`);
}
