import {
  DELETED_ALBUM_PURGE_DAYS,
  deletedAlbumPurgeAt,
  isDue,
} from '../../src-shared/retention/deadlines.js';
import type { Job, JobContext } from '../jobs/job.js';
import { purgeAlbumChunk } from './purgeAlbums.js';

const REASON = `album deleted ${DELETED_ALBUM_PURGE_DAYS} days ago`;

/**
 * Albums deleted by their studio (soft: hidden at once, restorable by support) are purged
 * for good 30 days later: objects, then rows, in chunks, each chunk audited under the studio.
 * An album either of whose tenants is on legal hold is kept.
 */
export async function purgeDeletedAlbums(
  ctx: JobContext,
  options: { chunkSize?: number } = {},
): Promise<number> {
  const at = ctx.now();
  let purged = 0;
  for (;;) {
    const { rows } = await ctx.db.query<{
      id: string;
      studio_tenant_id: string;
      deleted_at: Date;
    }>(
      `SELECT a.id, a.studio_tenant_id, a.deleted_at FROM albums a
         JOIN tenants st ON st.id = a.studio_tenant_id
         JOIN tenants sc ON sc.id = a.school_tenant_id
        WHERE a.deleted_at IS NOT NULL AND a.deleted_at <= $1
          AND NOT st.legal_hold AND NOT sc.legal_hold
        ORDER BY a.studio_tenant_id, a.id LIMIT $2`,
      [new Date(at.getTime() - DELETED_ALBUM_PURGE_DAYS * 86_400_000), options.chunkSize ?? 20],
    );
    // The SQL bound is a prefilter; the shared deadline function decides.
    const due = rows.filter((r) => isDue(deletedAlbumPurgeAt(r.deleted_at), at));
    const studio = due[0]?.studio_tenant_id;
    if (studio === undefined) return purged;
    const chunk = due.filter((r) => r.studio_tenant_id === studio);
    purged += (await purgeAlbumChunk(ctx, chunk, { tenantId: studio, at, reason: REASON })).albums;
  }
}

export const purgeDeletedAlbumsJob = (options: { chunkSize?: number } = {}): Job => ({
  name: 'albums.purge',
  schedule: { kind: 'daily_jst', hour: 3, minute: 15 },
  run: async (ctx) => ({ processed: await purgeDeletedAlbums(ctx, options) }),
});
