import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from './cli.js';
import { migrate } from './db/migrate.js';
import { MIGRATIONS } from './db/migrations/index.js';
import { createPgliteDb } from './db/pgliteDb.js';
import { sendRequest } from './testing/httpsClient.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'weebum-cli-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (line) => void out.push(line),
    stderr: (line) => void err.push(line),
    logDestination: { write: () => undefined },
    cwd: tempDir(),
    waitForStop: () => Promise.resolve('SIGTERM'),
  };
}

describe('main', () => {
  it('prints help', async () => {
    const io = captureIo();
    expect(await main(['help'], {}, io)).toBe(0);
    expect(io.out.join('\n')).toMatch(/serve\s+apply migrations/);
  });

  it('refuses unknown commands and extra arguments', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], {}, io)).toBe(2);
    expect(io.err).toEqual([
      'weebum-server: unknown command "frobnicate" (try "weebum-server help")',
    ]);
    expect(await main(['migrate', '--now'], {}, io)).toBe(2);
  });

  it('reports bad configuration without a stack', async () => {
    const io = captureIo();
    expect(await main(['serve'], { WEEBUM_PORT: 'abc' }, io)).toBe(2);
    expect(io.err.join('\n')).toBe(
      'weebum-server: invalid configuration:\n' +
        'WEEBUM_PORT: must be an integer 1-65535 (or 0 for any free port) (got "abc")',
    );
  });

  it('reports an unreachable database in one line', async () => {
    const io = captureIo();
    const code = await main(
      ['migrate'],
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      io,
    );
    expect(code).toBe(1);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(/^weebum-server migrate: .*ECONNREFUSED/);
    expect(io.err[0]).not.toMatch(/\n\s+at /);
  });

  it('backs up an embedded database and restores it only into an empty one', async () => {
    const io = captureIo();
    const dataDir = tempDir();
    const env = { WEEBUM_DATA_DIR: dataDir };
    expect(await main(['migrate'], env, io)).toBe(0);
    expect(await main(['backup'], env, io)).toBe(0);
    const id = /^Backup ([0-9a-f-]{36}) stored/.exec(io.out.at(-1) ?? '')?.[1] as string;
    expect(id).toBeDefined();
    expect(await main(['backup', 'list'], env, io)).toBe(0);
    expect(io.out.at(-1)).toMatch(new RegExp(`^${id}  \\d{4}-`));

    // The database still exists: refused, with the reason in one line.
    expect(await main(['restore', id], env, io)).toBe(1);
    expect(io.err.at(-1)).toMatch(
      /^weebum-server restore: .*not empty.*\(restore_target_not_empty\)$/,
    );

    rmSync(join(dataDir, 'pglite'), { recursive: true, force: true });
    expect(await main(['restore', id], env, io)).toBe(0);
    expect(io.out.at(-1)).toMatch(new RegExp(`^Restored backup ${id}`));
    expect(await main(['migrate'], env, io)).toBe(0);
    expect(io.out.at(-1)).toBe('Database schema is current.');

    expect(await main(['restore'], env, io)).toBe(2);
    expect(await main(['backup', 'now'], env, io)).toBe(2);
    // PGlite starts five times here, seconds each on a loaded machine.
  }, 180_000);

  it('migrates an embedded database', async () => {
    const io = captureIo();
    const env = { WEEBUM_DATA_DIR: tempDir() };
    expect(await main(['migrate'], env, io)).toBe(0);
    expect(await main(['migrate'], env, io)).toBe(0);
    expect(io.out).toEqual([
      `Applied migrations: ${MIGRATIONS.map((m) => m.version).join(', ')}.`,
      'Database schema is current.',
    ]);
  });
});

describe('jobs run', () => {
  it('runs one job at the time given by --now, on the configured database', async () => {
    const dataDir = tempDir();
    const seed = await createPgliteDb(join(dataDir, 'pglite'));
    await migrate(seed, MIGRATIONS);
    for (const at of ['2027-01-01T00:00:00Z', '2027-01-09T00:00:00Z']) {
      await seed.query(
        `INSERT INTO access_log (occurred_at, method, route, status, duration_ms)
         VALUES ($1, 'GET', '/v1/albums', 200, 1)`,
        [at],
      );
    }
    await seed.close();

    const io = captureIo();
    const env = { WEEBUM_DATA_DIR: dataDir };
    const run = ['jobs', 'run', 'access_log.purge', '--now'];
    expect(await main([...run, '2027-01-08T00:00:00Z'], env, io)).toBe(0);
    expect(await main([...run, '2027-01-08T00:00:00.001Z'], env, io)).toBe(0);
    expect(io.out).toEqual(['access_log.purge: 0 processed.', 'access_log.purge: 1 processed.']);

    const after = await createPgliteDb(join(dataDir, 'pglite'));
    const { rows } = await after.query<{ n: string }>('SELECT count(*) AS n FROM access_log');
    await after.close();
    expect(rows[0]?.n).toBe('1');
    // Four opens of an embedded database, each a few seconds on a loaded machine.
  }, 120_000);

  it('runs the daily backup as a job: a new backup, and those older than 7 days deleted', async () => {
    const io = captureIo();
    const env = { WEEBUM_DATA_DIR: tempDir() };
    expect(await main(['migrate'], env, io)).toBe(0);
    const backupIds = async () => {
      expect(await main(['backup', 'list'], env, io)).toBe(0);
      return io.out.splice(0).flatMap((line) => /^([0-9a-f-]{36}) /.exec(line)?.[1] ?? []);
    };
    io.out.length = 0;
    const run = ['jobs', 'run', 'backup', '--now'];
    expect(await main([...run, '2027-03-01T17:30:00Z'], env, io)).toBe(0);
    expect(io.out.splice(0)).toEqual(['backup: 1 processed.']);
    const [first] = await backupIds();
    expect(first).toBeDefined();

    // Eight days later: a new backup, and the first one (over 7 days old) is gone.
    expect(await main([...run, '2027-03-09T17:30:00Z'], env, io)).toBe(0);
    expect(io.out.splice(0)).toEqual(['backup: 2 processed.']);
    const ids = await backupIds();
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(first);
    // An embedded database opened six times, seconds each on a loaded machine.
  }, 180_000);

  it('refuses unknown jobs and bad times with usage errors', async () => {
    const io = captureIo();
    const env = { WEEBUM_DATA_DIR: tempDir() };
    expect(await main(['jobs', 'run', 'nope'], env, io)).toBe(2);
    expect(await main(['jobs', 'run', 'photos.expire', '--now', 'yesterday'], env, io)).toBe(2);
    expect(await main(['jobs'], env, io)).toBe(2);
    expect(io.err[0]).toBe(
      'weebum-server jobs: unknown job "nope" (see "weebum-server jobs list")',
    );
    expect(io.err[1]).toMatch(/--now needs an ISO 8601 time/);
    expect(await main(['jobs', 'list'], env, io)).toBe(0);
    expect(io.out).toContain('photos.expire');
  });
});

describe('serve as a child process', () => {
  it('prints one ready line, answers over HTTPS, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-server/bin.ts', 'serve'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, WEEBUM_DATA_DIR: dataDir, WEEBUM_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
        });
        void exited.then(() => reject(new Error(`server exited early: ${stderr}`)));
      });
      const caFile = join(dataDir, 'tls', 'ca.pem');
      const match =
        /^Weebum Cloud listening on (https:\/\/127\.0\.0\.1:\d+) \(trust CA: (.+)\)$/.exec(line);
      expect(match?.[2]).toBe(caFile);
      const res = await sendRequest(`${match?.[1] ?? ''}/readyz`, { ca: readFileSync(caFile) });
      expect(res.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain('stopping: draining in-flight requests');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
