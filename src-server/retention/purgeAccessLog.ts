import { accessLogCutoff } from '../../src-shared/retention/deadlines.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Job, JobContext } from '../jobs/job.js';

/**
 * P13: access log rows older than 7 days are deleted, in chunks (each chunk and its audit
 * record commit together). Rows of a tenant on legal hold are kept while the hold lasts.
 */
export async function purgeAccessLog(
  ctx: JobContext,
  options: { chunkSize?: number } = {},
): Promise<number> {
  const at = ctx.now();
  const cutoff = accessLogCutoff(at);
  let total = 0;
  for (;;) {
    const deleted = await ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `DELETE FROM access_log WHERE id IN (
           SELECT l.id FROM access_log l
            WHERE l.occurred_at < $1
              AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = l.tenant_id AND t.legal_hold)
            ORDER BY l.id LIMIT $2)
         RETURNING id`,
        [cutoff, options.chunkSize ?? 5_000],
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      await recordAudit(tx, {
        tenantId: null,
        actorId: null,
        action: 'retention.access_log_purged',
        outcome: 'success',
        targetType: 'access_log',
        occurredAt: at,
        // Thousands of ids a day: the chunk's id range says which rows went.
        details: {
          kind: 'access_log',
          count: rows.length,
          firstId: String(ids[0]),
          lastId: String(ids[ids.length - 1]),
          olderThan: cutoff.toISOString(),
          reason: 'P13: access log kept 7 days',
        },
      });
      return rows.length;
    });
    if (deleted === 0) return total;
    total += deleted;
  }
}

export const purgeAccessLogJob = (options: { chunkSize?: number } = {}): Job => ({
  name: 'access_log.purge',
  schedule: { kind: 'hourly', minute: 5 },
  run: async (ctx) => ({ processed: await purgeAccessLog(ctx, options) }),
});
