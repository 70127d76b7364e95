import { appendChange } from '../albums/changeFeed.js';
import { recordAudit } from '../audit/auditLog.js';
import { PHOTO_VARIANTS } from '../../src-shared/cloud/photos.js';
import { photoKey } from '../blobs/blobKeys.js';
import type { Job, JobContext } from '../jobs/job.js';

interface ExpiredPhoto extends Record<string, unknown> {
  id: string;
  album_id: string;
  studio_tenant_id: string;
}

/**
 * P11: a photo's original, every derivative and its row are deleted at `expires_at` (16 months
 * after upload, set when it became ready). The feed carries a tombstone so desktop clients drop
 * their copies; pages are not touched: their frames keep pointing at the id and show it expired.
 * Objects go first, then rows, feed entries and the audit record in one transaction per chunk:
 * killed between the two, the next run finds the rows and deletes the (already missing)
 * objects again, which is not an error.
 */
export async function expirePhotos(
  ctx: JobContext,
  options: { chunkSize?: number } = {},
): Promise<number> {
  const { db, blobs } = ctx;
  const at = ctx.now();
  let total = 0;
  for (;;) {
    // A tenant on legal hold keeps everything, on either side of the album.
    const { rows } = await db.query<ExpiredPhoto>(
      `SELECT p.id, p.album_id, a.studio_tenant_id
         FROM photos p
         JOIN albums a ON a.id = p.album_id
         JOIN tenants st ON st.id = a.studio_tenant_id
         JOIN tenants sc ON sc.id = a.school_tenant_id
        WHERE p.expires_at <= $1 AND NOT st.legal_hold AND NOT sc.legal_hold
        ORDER BY p.expires_at, p.id
        LIMIT $2`,
      [at, options.chunkSize ?? 100],
    );
    if (rows.length === 0) return total;
    for (const photo of rows) {
      for (const variant of PHOTO_VARIANTS) {
        await blobs.delete(photoKey(photo.studio_tenant_id, photo.album_id, photo.id, variant));
      }
    }
    total += await db.transaction(async (tx) => {
      const { rows: deleted } = await tx.query<{ id: string; album_id: string; version: number }>(
        `DELETE FROM photos WHERE id = ANY($1::uuid[]) AND expires_at <= $2
          RETURNING id, album_id, version`,
        [rows.map((r) => r.id), at],
      );
      for (const photo of deleted) {
        await appendChange(tx, {
          albumId: photo.album_id,
          entity: 'photo',
          entityId: photo.id,
          op: 'delete',
          version: photo.version + 1,
        });
      }
      // One record per owning tenant, so each tenant's audit view shows its own deletions.
      const byTenant = new Map<string, string[]>();
      for (const photo of deleted) {
        const tenant = rows.find((r) => r.id === photo.id)?.studio_tenant_id;
        if (tenant === undefined) continue;
        byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), photo.id]);
      }
      for (const [tenantId, ids] of byTenant) {
        await recordAudit(tx, {
          tenantId,
          actorId: null,
          action: 'retention.photos_expired',
          outcome: 'success',
          targetType: 'photo',
          occurredAt: at,
          details: {
            kind: 'photo',
            count: ids.length,
            ids: ids.join(','),
            reason: 'P11: 16 months after upload',
          },
        });
      }
      return deleted.length;
    });
  }
}

export const expirePhotosJob = (options: { chunkSize?: number } = {}): Job => ({
  name: 'photos.expire',
  schedule: { kind: 'daily_jst', hour: 3, minute: 0 },
  run: async (ctx) => ({ processed: await expirePhotos(ctx, options) }),
});
