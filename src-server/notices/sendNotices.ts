import { ENCRYPTED_COLUMNS } from '../crypto/encryptedColumns.js';
import type { FieldCipher } from '../crypto/fieldCipher.js';
import type { Job, JobContext } from '../jobs/job.js';
import type { Mailer } from './mailer.js';

/** After this many failed attempts a notice is marked failed (and stays visible as such). */
export const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 60_000;

interface PendingNotice extends Record<string, unknown> {
  id: string;
  tenant_id: string;
  recipient_enc: string;
  subject: string;
  body_text: string;
  attempts: number;
}

/** SMTP replies can quote the address: only the reply code and a generic reason are kept. */
function safeError(error: unknown): string {
  const code = (error as { responseCode?: unknown; code?: unknown }).responseCode;
  const name = (error as { code?: unknown }).code;
  return `send failed${typeof code === 'number' ? ` (SMTP ${code})` : ''}${
    typeof name === 'string' ? ` ${name}` : ''
  }`;
}

/**
 * Sends due notices, a chunk at a time, recording delivery status; failures are retried with
 * exponential backoff. At least once: killed after the SMTP server accepted a message and
 * before it was marked sent, the notice is sent again (never lost).
 */
export async function sendNotices(
  ctx: JobContext,
  deps: { cipher: FieldCipher; mailer: Mailer; chunkSize?: number },
): Promise<number> {
  let handled = 0;
  const at = ctx.now();
  const seen = new Set<string>();
  for (;;) {
    const { rows } = await ctx.db.query<PendingNotice>(
      `SELECT id, tenant_id, recipient_enc, subject, body_text, attempts FROM notices
        WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT (id = ANY($3::uuid[]))
        ORDER BY next_attempt_at, id LIMIT $2`,
      [at, deps.chunkSize ?? 50, [...seen]],
    );
    if (rows.length === 0) return handled;
    for (const notice of rows) {
      seen.add(notice.id);
      handled++;
      try {
        const to = deps.cipher.decrypt(notice.recipient_enc, {
          tenantId: notice.tenant_id,
          column: ENCRYPTED_COLUMNS.noticeRecipient,
        });
        await deps.mailer.send({ to, subject: notice.subject, text: notice.body_text }, notice.id);
        await ctx.db.query(
          `UPDATE notices SET status = 'sent', sent_at = $2, attempts = attempts + 1,
                  last_error = NULL WHERE id = $1`,
          [notice.id, ctx.now()],
        );
      } catch (error) {
        const attempts = notice.attempts + 1;
        await ctx.db.query(
          `UPDATE notices SET attempts = $2::integer, last_error = $3, next_attempt_at = $4,
                  status = CASE WHEN $2::integer >= $5::integer THEN 'failed' ELSE 'pending' END
            WHERE id = $1`,
          [
            notice.id,
            attempts,
            safeError(error),
            new Date(at.getTime() + BASE_BACKOFF_MS * 2 ** attempts),
            MAX_ATTEMPTS,
          ],
        );
        ctx.log('notice not sent; retried later', { notice: notice.id, attempts });
      }
    }
  }
}

export const sendNoticesJob = (deps: {
  cipher: FieldCipher;
  mailer: Mailer;
  chunkSize?: number;
}): Job => ({
  name: 'notices.send',
  schedule: { kind: 'every_minutes', minutes: 1 },
  run: async (ctx) => ({ processed: await sendNotices(ctx, deps) }),
});
