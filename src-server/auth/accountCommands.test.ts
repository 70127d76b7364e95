import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../cli.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import { addDataKey, keyringFrom, writeKeyringFile, type KeyringFile } from '../crypto/keyring.js';
import type { Db } from '../db/db.js';
import { createPgliteDb } from '../db/pgliteDb.js';
import { keyringFilePath } from '../keys/loadKeyring.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';
import { cipherColumn, cipherTenant, USER_ENCRYPTED_COLUMNS } from '../users/userRepository.js';

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

interface Users extends Record<string, unknown> {
  id: string;
  tenant_id: string | null;
  login_id_enc: string;
  display_name_enc: string;
  email_enc: string | null;
}

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
  const readKeyring = (): KeyringFile =>
    JSON.parse(readFileSync(keyringFilePath(dataDir), 'utf8')) as KeyringFile;

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

  it('rotates keys: old rows still decrypt, then every row is under the new key', async () => {
    const before = readKeyring();
    const oldCipher = createFieldCipher(keyringFrom(before));
    // A few more users, so the re-encryption walks several rows of several tenants.
    const names = ['山田 花子', '佐藤 次郎', 'Ｆｕｌｌ　Ｗｉｄｔｈ'];
    await withDb(async (db) => {
      const tenantId = (
        await db.query<{ id: string }>(`SELECT id FROM tenants WHERE kind = 'school' LIMIT 1`)
      ).rows[0]?.id;
      for (const [i, name] of names.entries()) {
        await db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO users (tenant_id, role, login_id_index, login_id_enc, display_name_enc,
                                email_enc, email_index, password_hash, created_at, updated_at)
             VALUES ($1, 'school_staff', $2, $3, $4, $5, $6, 'x', now(), now())`,
            [
              tenantId,
              `idx-${i}`,
              oldCipher.encrypt(`staff-${i}`, {
                tenantId: tenantId ?? '',
                column: 'users.login_id_enc',
              }),
              oldCipher.encrypt(name, {
                tenantId: tenantId ?? '',
                column: 'users.display_name_enc',
              }),
              oldCipher.encrypt(`s${i}@example.jp`, {
                tenantId: tenantId ?? '',
                column: 'users.email_enc',
              }),
              `e-${i}`,
            ],
          );
        });
      }
    });

    const rotated = await run('keys', 'rotate');
    expect(rotated.code).toBe(0);
    const after = readKeyring();
    expect(Object.keys(after.dataKeys)).toHaveLength(Object.keys(before.dataKeys).length + 1);
    expect(after.current).not.toBe(before.current);
    expect(after.indexKey).toBe(before.indexKey);
    expect(rotated.out.join('\n')).toContain(`Re-encrypted 4 rows under key ${after.current}`);

    const newCipher = createFieldCipher(keyringFrom(after));
    const rows = await withDb(async (db) => (await db.query<Users>(`SELECT * FROM users`)).rows);
    const decrypted: string[] = [];
    for (const row of rows) {
      for (const column of USER_ENCRYPTED_COLUMNS) {
        const stored = row[column];
        if (stored === null) continue;
        expect(newCipher.keyIdOf(stored)).toBe(after.current);
        decrypted.push(
          newCipher.decrypt(stored, {
            tenantId: cipherTenant(row.tenant_id),
            column: cipherColumn(column),
          }),
        );
      }
    }
    expect(decrypted).toEqual(expect.arrayContaining([...names, 'operator', 's2@example.jp']));

    // Idempotent: an interrupted rotation (new key current, rows still old) is finished
    // without adding yet another key.
    const interrupted = addDataKey(after, new Date());
    await writeKeyringFile(keyringFilePath(dataDir), interrupted);
    const resumed = await run('keys', 'rotate');
    expect(resumed.code).toBe(0);
    expect(resumed.out[0]).toBe(`Finishing the re-encryption under key ${interrupted.current}.`);
    expect(Object.keys(readKeyring().dataKeys)).toHaveLength(
      Object.keys(interrupted.dataKeys).length,
    );
    const again = await run('keys', 'rotate');
    expect(again.code).toBe(0);
    expect(again.out.join('\n')).toContain('Added data key');
  });
});
