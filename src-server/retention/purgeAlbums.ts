import { recordAudit } from '../audit/auditLog.js';
import { albumPrefix } from '../blobs/blobKeys.js';
import type { JobContext } from '../jobs/job.js';

export interface AlbumToPurge {
  readonly id: string;
  readonly studio_tenant_id: string;
}

/**
 * Purges a chunk of albums: every object under each album's prefix first, then the rows (pages,
 * photos, members and feed go with them by cascade) in one transaction with one audit event.
 * Objects before rows: a run killed between the two finds the rows again and repeats the
 * (idempotent) object deletion, so nothing is left that no row names.
 */
export async function purgeAlbumChunk(
  ctx: JobContext,
  albums: readonly AlbumToPurge[],
  audit: { readonly tenantId: string; readonly at: Date; readonly reason: string },
): Promise<{ albums: number; objects: number }> {
  let objects = 0;
  for (const album of albums) {
    objects += await ctx.blobs.deletePrefix(albumPrefix(album.studio_tenant_id, album.id));
  }
  const purged = await ctx.db.transaction(async (tx) => {
    const { rows: deleted } = await tx.query<{ id: string }>(
      'DELETE FROM albums WHERE id = ANY($1::uuid[]) RETURNING id',
      [albums.map((a) => a.id)],
    );
    await recordAudit(tx, {
      tenantId: audit.tenantId,
      actorId: null,
      action: 'retention.album_purged',
      outcome: 'success',
      targetType: 'album',
      occurredAt: audit.at,
      details: {
        kind: 'album',
        count: deleted.length,
        ids: deleted.map((r) => r.id).join(','),
        objects,
        reason: audit.reason,
      },
    });
    return deleted.length;
  });
  return { albums: purged, objects };
}
