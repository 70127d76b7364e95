import {
  isDue,
  TENANT_PURGE_MIN_DAYS,
  tenantPurgeAt,
  addDays,
} from '../../src-shared/retention/deadlines.js';
import { recordAudit } from '../audit/auditLog.js';
import { tenantPrefix } from '../blobs/blobKeys.js';
import type { Job, JobContext } from '../jobs/job.js';
import { purgeAlbumChunk } from './purgeAlbums.js';

const REASON = 'P4: one year after the contract ended';

/**
 * Tenants whose purge date has come. A tenant on legal hold is skipped, and so is one that
 * shares an album with a tenant on hold: purging it would delete the held tenant's album.
 */
async function dueTenants(ctx: JobContext, at: Date): Promise<{ id: string; contractEnd: Date }[]> {
  const { rows } = await ctx.db.query<{ id: string; contract_end: Date }>(
    `SELECT t.id, t.contract_end FROM tenants t
      WHERE t.contract_end IS NOT NULL AND t.contract_end <= $1 AND NOT t.legal_hold
        AND NOT EXISTS (
          SELECT 1 FROM albums a JOIN tenants o
                 ON o.id = a.studio_tenant_id OR o.id = a.school_tenant_id
           WHERE (a.studio_tenant_id = t.id OR a.school_tenant_id = t.id) AND o.legal_hold)
      ORDER BY t.contract_end, t.id`,
    [addDays(at, -TENANT_PURGE_MIN_DAYS)],
  );
  // The SQL bound is a prefilter; the shared deadline function decides.
  return rows
    .filter((r) => isDue(tenantPurgeAt(r.contract_end), at))
    .map((r) => ({ id: r.id, contractEnd: r.contract_end }));
}

/**
 * Albums first (owned by the tenant, or made for it: a school's album holds its pupils'
 * photos), a chunk at a time: objects, then the rows (pages, photos, feed cascade) with an audit
 * record per chunk. Then any object left under the tenant's prefix, then the tenant row, whose
 * delete cascades to users, sessions, memberships and notices; access log rows of the tenant
 * go in the same transaction. The audit record proving the purge outlives it (no foreign key).
 * Every step may be repeated after a crash.
 */
async function purgeTenant(
  ctx: JobContext,
  tenant: { id: string; contractEnd: Date },
  at: Date,
  chunkSize: number,
): Promise<number> {
  const { db, blobs } = ctx;
  let albums = 0;
  let objects = 0;
  for (;;) {
    const { rows } = await db.query<{ id: string; studio_tenant_id: string }>(
      `SELECT id, studio_tenant_id FROM albums
        WHERE studio_tenant_id = $1 OR school_tenant_id = $1 ORDER BY id LIMIT $2`,
      [tenant.id, chunkSize],
    );
    if (rows.length === 0) break;
    const chunk = await purgeAlbumChunk(ctx, rows, { tenantId: tenant.id, at, reason: REASON });
    objects += chunk.objects;
    albums += chunk.albums;
  }
  objects += await blobs.deletePrefix(tenantPrefix(tenant.id));
  await db.transaction(async (tx) => {
    const users = await tx.query('DELETE FROM users WHERE tenant_id = $1 RETURNING id', [
      tenant.id,
    ]);
    const log = await tx.query('DELETE FROM access_log WHERE tenant_id = $1', [tenant.id]);
    const gone = await tx.query('DELETE FROM tenants WHERE id = $1 RETURNING id', [tenant.id]);
    if (gone.rowCount === 0) return;
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorId: null,
      action: 'retention.tenant_purged',
      outcome: 'success',
      targetType: 'tenant',
      targetId: tenant.id,
      occurredAt: at,
      details: {
        kind: 'tenant',
        count: 1,
        ids: tenant.id,
        albums,
        objects,
        users: users.rowCount,
        accessLogRows: log.rowCount,
        contractEndedAt: tenant.contractEnd.toISOString(),
        reason: REASON,
      },
    });
  });
  return 1;
}

/** P4: every row and object of a tenant is purged one calendar year (JST) after its contract ended. */
export async function purgeEndedTenants(
  ctx: JobContext,
  options: { chunkSize?: number } = {},
): Promise<number> {
  const at = ctx.now();
  let purged = 0;
  for (const tenant of await dueTenants(ctx, at)) {
    purged += await purgeTenant(ctx, tenant, at, options.chunkSize ?? 20);
  }
  return purged;
}

export const purgeEndedTenantsJob = (options: { chunkSize?: number } = {}): Job => ({
  name: 'tenants.purge',
  schedule: { kind: 'daily_jst', hour: 3, minute: 30 },
  run: async (ctx) => ({ processed: await purgeEndedTenants(ctx, options) }),
});
