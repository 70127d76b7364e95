import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../blobs/blobStore.js';
import { createFieldCipher, type FieldCipher } from '../crypto/fieldCipher.js';
import { generateKeyringFile, keyringFrom } from '../crypto/keyring.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import type { JobContext } from '../jobs/job.js';
import { runJob } from '../jobs/jobRunner.js';
import { insertAlbum, insertTenant } from '../testing/retentionFixtures.js';
import { recipientOf, startSmtp, type TestSmtpServer } from '../testing/smtpServer.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';
import { createUserRepository } from '../users/userRepository.js';
import { deadlineNoticesJob } from './deadlineNotices.js';
import { createMailer } from './mailer.js';
import { sendNoticesJob } from './sendNotices.js';

const EXPIRES = new Date('2026-02-01T01:00:00Z');
/** 30 days before EXPIRES (January has 31). */
const NOTICE_AT = new Date('2026-01-02T01:00:00Z');

describe.each(DIALECTS)('notices (%s, real SMTP server)', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let cipher: FieldCipher;
  let smtp: TestSmtpServer;
  let dataDir: string;
  const ctx = (now: Date): JobContext => ({
    db,
    blobs: {} as BlobStore,
    now: () => now,
    log: () => undefined,
  });
  /** A user with an e-mail address, written by the user repository (the real writer). */
  async function userWithEmail(
    tenantId: string,
    role: 'studio_admin' | 'school_admin' | 'designer' | 'school_staff',
    email: string,
  ): Promise<string> {
    const user = await createUserRepository(cipher).insert(db, {
      tenantId,
      role,
      loginId: email,
      displayName: role,
      email,
      passwordHash: 'not-a-hash',
      temporaryPasswordExpiresAt: new Date('2030-01-01T00:00:00Z'),
      now: new Date('2025-04-01T00:00:00Z'),
    });
    if (user === undefined) throw new Error(`login id taken: ${email}`);
    return user.id;
  }

  beforeAll(async () => {
    smtp = await startSmtp();
    dataDir = mkdtempSync(join(tmpdir(), 'weebum-notices-'));
    cipher = createFieldCipher(keyringFrom(generateKeyringFile(new Date())));
    database = await createTestDatabase(dialect);
    db = database.db;
    await migrate(db, MIGRATIONS);
  });
  afterAll(async () => {
    await database.dispose();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await db.query('TRUNCATE tenants, audit_events, job_runs CASCADE');
    smtp.received.length = 0;
    smtp.reject.clear();
  });

  async function world() {
    const studio = await insertTenant(db, 'studio');
    const school = await insertTenant(db, 'school');
    const studioAdmin = await userWithEmail(studio, 'studio_admin', 'studio-admin@example.jp');
    const schoolAdmin = await userWithEmail(school, 'school_admin', 'school-admin@example.jp');
    const staff = await userWithEmail(school, 'school_staff', 'staff@example.jp');
    const bystander = await userWithEmail(school, 'school_staff', 'bystander@example.jp');
    const albumId = await insertAlbum(db, studio, school, '令和8年度 卒業アルバム');
    await db.query(
      `UPDATE albums SET document = jsonb_build_object('title', '令和8年度 卒業アルバム')
        WHERE id = $1`,
      [albumId],
    );
    await db.query('INSERT INTO album_members (album_id, user_id) VALUES ($1, $2)', [
      albumId,
      staff,
    ]);
    await db.query(
      `INSERT INTO photos (id, album_id, uploaded_by, sha256, size, file_name, content_type,
                           status, width, height, created_at, ready_at, expires_at, updated_at)
       VALUES (gen_random_uuid(), $1, gen_random_uuid(), repeat('a', 64), 1, 'a.jpg',
               'image/jpeg', 'ready', 1, 1, $2, $2, $3, $2)`,
      [albumId, EXPIRES, EXPIRES],
    );
    return { studio, school, studioAdmin, schoolAdmin, staff, bystander, albumId };
  }

  const sender = (smtpUrl: string | undefined) =>
    sendNoticesJob({
      cipher,
      mailer: createMailer({ smtpUrl, from: 'Weebum <notice@weebum.invalid>' }, dataDir),
    });

  it('P11: admins of both tenants and album members hear 30 days before, by SMTP, in Japanese and English', async () => {
    await world();
    // The seeded photo expires at EXPIRES; the notice is due 30 days before that.
    const noticeAt = NOTICE_AT;
    const job = deadlineNoticesJob();
    expect(await runJob(job, ctx(new Date(noticeAt.getTime() - 1)))).toEqual({
      status: 'done',
      processed: 0,
    });
    expect(await runJob(job, ctx(noticeAt))).toEqual({ status: 'done', processed: 3 });
    // Idempotent: a second run queues nothing.
    expect(await runJob(job, ctx(noticeAt))).toEqual({ status: 'done', processed: 0 });

    // At rest the address is ciphertext.
    const stored = await db.query<{ recipient_enc: string; status: string }>(
      'SELECT recipient_enc, status FROM notices',
    );
    expect(stored.rows.every((r) => !r.recipient_enc.includes('@'))).toBe(true);
    expect(stored.rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);

    expect(await runJob(sender(smtp.url), ctx(noticeAt))).toEqual({
      status: 'done',
      processed: 3,
    });
    const to = smtp.received.map(recipientOf).sort();
    expect(to).toEqual(['school-admin@example.jp', 'staff@example.jp', 'studio-admin@example.jp']);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe(
      '【Weebum】写真の保存期限のお知らせ / Photos reaching their retention limit',
    );
    expect(mail.text).toContain('令和8年度 卒業アルバム');
    expect(mail.text).toContain('1年4か月');
    expect(mail.text).toContain('---------- English ----------');
    expect(mail.text).toContain('16 months');
    const sent = await db.query<{ status: string; sent_at: Date | null }>(
      'SELECT status, sent_at FROM notices',
    );
    expect(sent.rows.every((r) => r.status === 'sent' && r.sent_at !== null)).toBe(true);
    // Nothing is sent twice.
    expect(await runJob(sender(smtp.url), ctx(noticeAt))).toEqual({
      status: 'done',
      processed: 0,
    });
    expect(smtp.received).toHaveLength(3);
  });

  it('a refused message is retried later and its error keeps no address', async () => {
    await world();
    const noticeAt = NOTICE_AT;
    await runJob(deadlineNoticesJob(), ctx(noticeAt));
    smtp.reject.add('staff@example.jp');
    await runJob(sender(smtp.url), ctx(noticeAt));
    expect(smtp.received).toHaveLength(2);
    const { rows } = await db.query<{
      status: string;
      attempts: number;
      last_error: string;
      next_attempt_at: Date;
    }>(`SELECT status, attempts, last_error, next_attempt_at FROM notices WHERE status <> 'sent'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(rows[0]?.last_error).toMatch(/SMTP 550/);
    expect(rows[0]?.last_error).not.toMatch(/@/);
    expect(rows[0]!.next_attempt_at.getTime()).toBeGreaterThan(noticeAt.getTime());

    smtp.reject.clear();
    // Not before its retry time; then it goes.
    await runJob(sender(smtp.url), ctx(noticeAt));
    expect(smtp.received).toHaveLength(2);
    await runJob(sender(smtp.url), ctx(rows[0]!.next_attempt_at));
    expect(smtp.received).toHaveLength(3);
  });

  it('P4: admins hear when the contract ends and 30 days before the purge', async () => {
    const end = new Date('2027-03-31T15:00:00Z');
    const tenant = await insertTenant(db, 'studio', { contractEnd: end });
    await userWithEmail(tenant, 'studio_admin', 'ended-admin@example.jp');
    await userWithEmail(tenant, 'designer', 'designer@example.jp');
    const job = deadlineNoticesJob();
    expect(await runJob(job, ctx(new Date(end.getTime() - 1)))).toEqual({
      status: 'done',
      processed: 0,
    });
    expect(await runJob(job, ctx(end))).toEqual({ status: 'done', processed: 1 });
    // Purged a calendar year after the end (2028-04-01 00:00 JST = 2028-03-31 15:00 UTC);
    // warned 30 days before.
    const warnAt = new Date('2028-03-01T15:00:00Z');
    expect(await runJob(job, ctx(new Date(warnAt.getTime() - 1)))).toEqual({
      status: 'done',
      processed: 0,
    });
    expect(await runJob(job, ctx(warnAt))).toEqual({ status: 'done', processed: 1 });
    // The embedded default: messages become .eml files in the data directory.
    await runJob(sender(undefined), ctx(warnAt));
    const files = readdirSync(join(dataDir, 'mail'));
    expect(files).toHaveLength(2);
    const parsed = await Promise.all(
      files.map((f) => simpleParser(readFileSync(join(dataDir, 'mail', f)))),
    );
    const subjects = parsed.map((m) => m.subject).sort();
    expect(subjects).toEqual([
      '【Weebum】ご契約終了のお知らせ / Your contract has ended',
      '【Weebum】データ削除の予告（30日前） / Your data will be deleted in 30 days',
    ]);
    expect(parsed.every((m) => m.text?.includes('English') === true)).toBe(true);
    expect(parsed.map((m) => (Array.isArray(m.to) ? '' : m.to?.text))).toEqual([
      'ended-admin@example.jp',
      'ended-admin@example.jp',
    ]);
  });
});
