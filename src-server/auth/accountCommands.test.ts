import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../cli.js';
import type { Db } from '../db/db.js';
import { createPgliteDb } from '../db/pgliteDb.js';
import { keyringFilePath } from '../keys/loadKeyring.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';

function captureIo(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (line) => void out.push(line),
    stderr: (line) => void err.push(line),
    logDestination: { write: () => undefined },
    cwd,
    waitForStop: () => Promise.resolve('SIGTERM'),
  };
}

describe('account command usage', () => {
  it.each([
    [['bootstrap', '--jsn'], 'unexpected argument: --jsn'],
    [['tenant', 'create', '--kind', 'shop', '--name', 'x'], '--kind must be studio or school'],
    [['tenant', 'create', '--kind', 'school'], '--name must be 1-200 characters'],
    [
      ['tenant', 'create', '--kind', 'school', '--name', 'x', '--contract-start', 'April'],
      '--contract-start must be an ISO 8601',
    ],
    [['keys', 'spin'], 'usage: keys rotate'],
  ])('refuses %j with exit code 2', async (argv, message) => {
    const io = captureIo(tmpdir());
    expect(await main(argv, {}, io)).toBe(2);
    expect(io.err.join('\n')).toContain(message);
  });
});

describe.each(DIALECTS)('account commands on %s', (dialect) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  /** PGlite holds its directory exclusively, so the test opens it only between commands. */
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (database !== undefined) return fn(database.db);
    const db = await createPgliteDb(join(dataDir, 'pglite'));
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const run = async (...argv: string[]) => {
    const io = captureIo(dataDir);
    const code = await main(argv, env, io);
    return { code, out: io.out, err: io.err };
  };
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'weebum-accounts-cli-'));
    env = { WEEBUM_DATA_DIR: dataDir, WEEBUM_LOG_LEVEL: 'silent' };
    if (dialect === 'postgres') {
      database = await createTestDatabase('postgres');
      env['DATABASE_URL'] = database.url ?? '';
    }
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bootstraps the operator once, printing the temporary password once', async () => {
    const first = await run('bootstrap', '--json');
    expect(first.code).toBe(0);
    expect(first.out).toHaveLength(1);
    const printed = JSON.parse(first.out[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['loginId', 'temporaryPassword']);
    expect(printed['loginId']).toBe('operator');
    expect(printed['temporaryPassword']).toMatch(/^[A-Za-z2-9]{20}$/);

    const second = await run('bootstrap', '--login-id', 'someone-else');
    expect(second.code).toBe(1);
    expect(second.err.join('\n')).toContain('an operator account already exists');
    expect(second.out).toEqual([]);

    const { rows } = await withDb((db) =>
      db.query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE role = 'operator'`),
    );
    expect(rows[0]?.n).toBe('1');
    // The development key file was made on first use, readable by the owner only.
    expect(statSync(keyringFilePath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('creates a tenant from the command line', async () => {
    const res = await run(
      'tenant',
      'create',
      '--kind',
      'school',
      '--name',
      '市立さくら中学校',
      '--contract-start',
      '2026-04-01T00:00:00+09:00',
      '--json',
    );
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out[0] ?? '')).toMatchObject({
      kind: 'school',
      name: '市立さくら中学校',
      contractStart: '2026-03-31T15:00:00.000Z',
      contractEnd: null,
    });
    const plain = await run('tenant', 'create', '--kind', 'studio', '--name', 'Studio K');
    expect(plain.out[0]).toMatch(/^Tenant created: [0-9a-f-]{36} \(studio, Studio K\)$/);
  });
});
