import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordTools } from '../auth/passwordTools.js';
import { main, type CliIo } from '../cli.js';
import { ENCRYPTED_COLUMNS } from '../crypto/encryptedColumns.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import { addDataKey, keyringFrom, writeKeyringFile, type KeyringFile } from '../crypto/keyring.js';
import type { Db } from '../db/db.js';
import { createPgliteDb } from '../db/pgliteDb.js';
import { createOperatorNoticeService } from '../notices/operatorNoticeService.js';
import { createSessionService } from '../sessions/sessionService.js';
import { createTenantService } from '../tenants/tenantService.js';
import { recipientOf, startSmtp, type TestSmtpServer } from '../testing/smtpServer.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';
import { TEST_HASH_PARAMS } from '../testing/testServer.js';
import { createUserRepository } from '../users/userRepository.js';
import { createUserService } from '../users/userService.js';
import { keyringFilePath, loadKeyring } from './loadKeyring.js';

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

interface ColumnRef {
  readonly table: string;
  readonly column: string;
}
const nameOf = (c: ColumnRef): string => `${c.table}.${c.column}`;
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Encrypted columns as the live schema has them: every column whose name ends in `_enc` (the
 * registry's naming convention). Chosen over "every bytea column" because FieldCipher values
 * are text (`v1.<keyId>.<base64>`): no bytea column exists to find them by type.
 */
async function encColumnsInSchema(db: Db): Promise<ColumnRef[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND right(column_name, 4) = '_enc'
      ORDER BY table_name, column_name`,
  );
  return rows.map((r) => ({ table: r.table_name, column: r.column_name }));
}

/** Every text column of the schema holding at least one value sealed under `keyId`. */
async function columnsHoldingSealedValues(db: Db, keyId: string): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying')
      ORDER BY c.table_name, c.column_name`,
  );
  const found: string[] = [];
  for (const r of rows) {
    const prefix = `v1.${keyId}.`;
    const hit = await db.query(
      `SELECT 1 FROM ${quote(r.table_name)}
        WHERE left(${quote(r.column_name)}, length($1)) = $1 LIMIT 1`,
      [prefix],
    );
    if (hit.rows.length > 0) found.push(`${r.table_name}.${r.column_name}`);
  }
  return found;
}

/** Per column: how many values are set, and how many of those are not under `keyId`. */
async function sealedCounts(
  db: Db,
  columns: readonly ColumnRef[],
  keyId: string,
): Promise<Record<string, { set: number; notUnderKey: number }>> {
  const out: Record<string, { set: number; notUnderKey: number }> = {};
  for (const c of columns) {
    const col = quote(c.column);
    const { rows } = await db.query<{ set: string; stale: string }>(
      `SELECT count(${col}) AS set,
              count(*) FILTER (WHERE ${col} IS NOT NULL AND left(${col}, length($1)) <> $1)
                AS stale
         FROM ${quote(c.table)}`,
      [`v1.${keyId}.`],
    );
    out[nameOf(c)] = { set: Number(rows[0]?.set), notUnderKey: Number(rows[0]?.stale) };
  }
  return out;
}

const announcement = {
  subjectJa: '鍵の更新のお知らせ',
  subjectEn: 'Key rotation notice',
  bodyJa: '本文です。',
  bodyEn: 'The body.',
};

describe.each(DIALECTS)('key rotation (keys rotate) on %s', (dialect) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  let smtp: TestSmtpServer;
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
    smtp = await startSmtp();
    dataDir = mkdtempSync(join(tmpdir(), 'weebum-rotation-'));
    env = { WEEBUM_DATA_DIR: dataDir, WEEBUM_LOG_LEVEL: 'silent', WEEBUM_SMTP_URL: smtp.url };
    if (dialect === 'postgres') {
      database = await createTestDatabase('postgres');
      env['DATABASE_URL'] = database.url ?? '';
    }
  });
  afterAll(async () => {
    await database?.dispose();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-encrypts every encrypted column; without the old key every row still reads and the queued notice is delivered', async () => {
    // Fixtures through the real writers: the operator as `bootstrap` makes it, tenants and
    // admins through the services, a notice through the operator's announcement.
    const boot = await run('bootstrap', '--json');
    expect(boot.code).toBe(0);
    const operatorPassword = (JSON.parse(boot.out[0] ?? '') as { temporaryPassword: string })
      .temporaryPassword;
    const before = readKeyring();
    const passwordTools = await createPasswordTools(TEST_HASH_PARAMS);
    const fixture = await withDb(async (db) => {
      const deps = {
        db,
        cipher: createFieldCipher(keyringFrom(before)),
        ...passwordTools,
        now: () => new Date(),
      };
      const cli = { userId: null, tenantId: null, sourceAddress: null };
      const tenants = createTenantService(deps);
      const users = createUserService(deps);
      const contract = { contractStart: new Date('2026-04-01T00:00:00Z'), contractEnd: null };
      const studio = await tenants.create(cli, { kind: 'studio', name: 'Studio K', ...contract });
      const school = await tenants.create(cli, { kind: 'school', name: '桜中学校', ...contract });
      const studioAdmin = await users.createTenantAdmin(cli, studio.id, {
        loginId: 'studio-admin',
        displayName: '山田 花子',
        email: 'hanako@studio.example.jp',
      });
      const schoolAdmin = await users.createTenantAdmin(cli, school.id, {
        loginId: 'school-admin',
        displayName: '佐藤 次郎',
        email: 'jiro@school.example.jp',
      });
      await users.createTenantAdmin(cli, school.id, {
        loginId: 'ｓｃｈｏｏｌ－ａｄｍｉｎ２',
        displayName: 'Ｆｕｌｌ　Ｗｉｄｔｈ',
        email: null,
      });
      const notices = createOperatorNoticeService({ db, now: deps.now });
      expect(await notices.announce(cli, { message: announcement })).toMatchObject({ queued: 2 });
      return { school, studioAdmin, schoolAdmin };
    });

    // The schema's encrypted columns are exactly the registry's, and the fixture fills each.
    const registered = Object.values(ENCRYPTED_COLUMNS).map(nameOf);
    const { inSchema, holding, counts } = await withDb(async (db) => {
      const columns = await encColumnsInSchema(db);
      return {
        inSchema: columns,
        holding: await columnsHoldingSealedValues(db, before.current),
        counts: await sealedCounts(db, columns, before.current),
      };
    });
    expect(inSchema.length).toBeGreaterThan(0);
    expect(inSchema.map(nameOf).filter((c) => !registered.includes(c))).toEqual([]);
    expect(registered.filter((c) => !inSchema.map(nameOf).includes(c))).toEqual([]);
    // Whatever its name, a column holding sealed values is in the registry too.
    expect(holding.filter((c) => !registered.includes(c))).toEqual([]);
    expect(Object.entries(counts).filter(([, n]) => n.set === 0)).toEqual([]);

    const rotated = await run('keys', 'rotate');
    expect(rotated.err).toEqual([]);
    expect(rotated.code).toBe(0);
    const after = readKeyring();
    expect(after.current).not.toBe(before.current);
    expect(after.indexKey).toBe(before.indexKey);
    // 4 users (operator and three admins) and 2 notices.
    expect(rotated.out.join('\n')).toContain(`Re-encrypted 6 rows under key ${after.current}.`);

    // The old key is removed, as an operator does once rotation is done.
    await writeKeyringFile(keyringFilePath(dataDir), {
      ...after,
      dataKeys: { [after.current]: after.dataKeys[after.current] as string },
    });
    // The real readers, with the keyring as a server loads it (the new key only).
    const { keyring } = await loadKeyring(env, dataDir, new Date());
    expect(keyring.keyIds).toEqual([after.current]);
    await withDb(async (db) => {
      const stale = Object.entries(await sealedCounts(db, inSchema, after.current)).filter(
        ([, n]) => n.notUnderKey > 0,
      );
      expect(stale).toEqual([]);
      const deps = {
        db,
        cipher: createFieldCipher(keyring),
        ...passwordTools,
        now: () => new Date(),
      };
      const sessions = createSessionService(deps);
      const signIn = (loginId: string, password: string) =>
        sessions.signIn({ loginId, password, sourceAddress: null });
      expect((await signIn('operator', operatorPassword)).user.displayName).toBe('Operator');
      const admin = await signIn('studio-admin', fixture.studioAdmin.temporaryPassword);
      expect(admin.user.displayName).toBe('山田 花子');
      const profile = await sessions.authenticate(admin.accessToken);
      expect(profile === 'unauthenticated' || profile === 'session_expired').toBe(false);
      const schoolUsers = await createUserRepository(deps.cipher).listByTenant(
        db,
        fixture.school.id,
      );
      expect(schoolUsers.map((u) => [u.loginId, u.displayName, u.email])).toEqual([
        ['school-admin', '佐藤 次郎', 'jiro@school.example.jp'],
        ['ｓｃｈｏｏｌ－ａｄｍｉｎ２', 'Ｆｕｌｌ　Ｗｉｄｔｈ', null],
      ]);
    });

    // The notice queued before the rotation goes out, to the right address, over SMTP.
    const sent = await run('jobs', 'run', 'notices.send');
    expect(sent.out).toEqual(['notices.send: 2 processed.']);
    expect(smtp.received.map(recipientOf).sort()).toEqual([
      'hanako@studio.example.jp',
      'jiro@school.example.jp',
    ]);
    expect(smtp.received.map((m) => m.subject)).toEqual([
      '【Weebum】鍵の更新のお知らせ / Key rotation notice',
      '【Weebum】鍵の更新のお知らせ / Key rotation notice',
    ]);
    const statuses = await withDb(
      async (db) =>
        (await db.query<{ status: string }>('SELECT status FROM notices ORDER BY id')).rows,
    );
    expect(statuses).toEqual([{ status: 'sent' }, { status: 'sent' }]);
  }, 120_000);

  it('finishes an interrupted rotation instead of adding yet another key', async () => {
    // Interrupted: a new key is current in the file but the rows are still under the last one.
    const interrupted = addDataKey(readKeyring(), new Date());
    await writeKeyringFile(keyringFilePath(dataDir), interrupted);
    const resumed = await run('keys', 'rotate');
    expect(resumed.code).toBe(0);
    expect(resumed.out[0]).toBe(`Finishing the re-encryption under key ${interrupted.current}.`);
    expect(resumed.out[1]).toContain(`Re-encrypted 6 rows under key ${interrupted.current}.`);
    expect(Object.keys(readKeyring().dataKeys)).toEqual(Object.keys(interrupted.dataKeys));
    const again = await run('keys', 'rotate');
    expect(again.code).toBe(0);
    expect(again.out[0]).toMatch(/^Added data key k\d+(_\d+)? to /);
    expect(again.out[1]).toContain('Re-encrypted 6 rows');
  }, 60_000);
});
