import type { Queryable } from '../db/db.js';

/**
 * The notice outbox: notices are written in the transaction that decides them and sent by the
 * `notices.send` job. The recipient is the user's stored e-mail ciphertext, copied as it is:
 * the registry row `noticeRecipient` (crypto/encryptedColumns.ts) says which label it carries,
 * and it is decrypted only when the mail is sent.
 */

export interface NoticeContent {
  readonly kind: string;
  readonly subject: string;
  /** Japanese first, then the English part. */
  readonly body: string;
}

/** Joins the two languages into one UTF-8 text body. */
export const bilingual = (ja: string, en: string): string =>
  `${ja.trim()}\n\n---------- English ----------\n\n${en.trim()}\n`;

/**
 * Queues a notice for each listed user who has an e-mail address and is active; `dedupKey` is
 * extended by the user id, so a repeated run queues nothing twice. Returns how many were new.
 */
export async function queueNotice(
  tx: Queryable,
  input: {
    tenantId: string;
    userIds: readonly string[];
    dedupKey: string;
    content: NoticeContent;
    at: Date;
  },
): Promise<number> {
  if (input.userIds.length === 0) return 0;
  const { rowCount } = await tx.query(
    `INSERT INTO notices (tenant_id, user_id, kind, dedup_key, recipient_enc, subject, body_text,
                          next_attempt_at, created_at)
     SELECT $1, u.id, $2, $3 || ':' || u.id, u.email_enc, $4, $5, $6, $6
       FROM users u
      WHERE u.id = ANY($7::uuid[]) AND u.tenant_id = $1 AND u.email_enc IS NOT NULL
        AND u.deleted_at IS NULL AND u.disabled_at IS NULL
     ON CONFLICT (dedup_key) DO NOTHING`,
    [
      input.tenantId,
      input.content.kind,
      input.dedupKey,
      input.content.subject,
      input.content.body,
      input.at,
      input.userIds,
    ],
  );
  return rowCount;
}

/** A tenant's active admins (studio_admin or school_admin). */
export async function tenantAdminIds(q: Queryable, tenantId: string): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM users
      WHERE tenant_id = $1 AND role IN ('studio_admin', 'school_admin')
        AND deleted_at IS NULL AND disabled_at IS NULL ORDER BY id`,
    [tenantId],
  );
  return rows.map((r) => r.id);
}
