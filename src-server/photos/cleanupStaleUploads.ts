import { appendChange } from '../albums/changeFeed.js';
import { recordAudit } from '../audit/auditLog.js';
import { photoKey } from '../blobs/blobKeys.js';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Db } from '../db/db.js';
import type { Job } from '../jobs/job.js';
import { photoRepository as photos } from './photoRepository.js';

/** Uploads not completed this long after they started are aborted and forgotten. */
export const UPLOAD_ABANDONED_MS = 24 * 60 * 60 * 1000;

/**
 * For the jobs runner: aborts unfinished uploads older than 24 hours (multipart session and any
 * object written so far), deletes their rows and puts a tombstone in the album's feed.
 * Bounded by `limit` per call; safe to run on several instances (a completion racing the
 * cleanup wins: only rows still `uploading` are deleted).
 */
export async function cleanupStaleUploads(
  db: Db,
  blobs: BlobStore,
  now: () => Date,
  options: { limit?: number } = {},
): Promise<number> {
  const cutoff = new Date(now().getTime() - UPLOAD_ABANDONED_MS);
  const stale = await photos.staleUploads(db, cutoff, options.limit ?? 100);
  let removed = 0;
  for (const photo of stale) {
    const key = photoKey(photo.keyTenantId, photo.albumId, photo.id, 'original');
    const deleted = await db.transaction(async (tx) => {
      const version = await photos.deleteIfUploading(tx, photo.id);
      if (version === undefined) return false;
      await appendChange(tx, {
        albumId: photo.albumId,
        entity: 'photo',
        entityId: photo.id,
        op: 'delete',
        version: version + 1,
      });
      await recordAudit(tx, {
        tenantId: photo.keyTenantId,
        actorId: null,
        action: 'retention.stale_uploads_removed',
        outcome: 'success',
        targetType: 'photo',
        targetId: photo.id,
        occurredAt: now(),
        details: {
          kind: 'photo_upload',
          count: 1,
          ids: photo.id,
          reason: 'not completed in 24 hours',
        },
      });
      return true;
    });
    if (!deleted) continue;
    removed++;
    if (photo.multipartUploadId !== null) {
      // Some S3-compatible servers (s3rver) lack AbortMultipartUpload; a bucket lifecycle rule
      // for incomplete multipart uploads is the backstop there.
      await blobs.abortMultipart(key, photo.multipartUploadId).catch(() => undefined);
    }
    await blobs.delete(key);
  }
  return removed;
}

/** Issue 4's cleanup as a runner job: every chunk until no stale upload is left. */
export const cleanupStaleUploadsJob = (options: { chunkSize?: number } = {}): Job => ({
  name: 'uploads.cleanup',
  schedule: { kind: 'hourly', minute: 20 },
  async run(ctx) {
    let processed = 0;
    for (;;) {
      const removed = await cleanupStaleUploads(ctx.db, ctx.blobs, ctx.now, {
        limit: options.chunkSize ?? 100,
      });
      if (removed === 0) return { processed };
      processed += removed;
    }
  },
});
