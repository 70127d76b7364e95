import { photoExpiresAt } from '../../src-shared/retention/deadlines.js';
import { appendChange } from '../albums/changeFeed.js';
import { PHOTO_VARIANTS } from '../../src-shared/cloud/photos.js';
import { photoKey } from '../blobs/blobKeys.js';
import { BlobNotFoundError, type BlobStore } from '../blobs/blobStore.js';
import type { Db, Queryable } from '../db/db.js';
import { processPhoto } from './processPhoto.js';
import { photoRepository as photos, type PhotoRecord } from './photoRepository.js';

/** A claim older than this is taken to belong to a crashed instance and is taken over. */
export const PROCESSING_CLAIM_MS = 10 * 60 * 1000;

export interface ProcessPendingResult {
  readonly ready: number;
  readonly failed: number;
  /** Left for a later run (the store could not be read). */
  readonly deferred: number;
}

const keyOf = (p: PhotoRecord, variant: (typeof PHOTO_VARIANTS)[number]) =>
  photoKey(p.keyTenantId, p.albumId, p.id, variant);

const recordChange = (tx: Queryable, photo: PhotoRecord | undefined) =>
  photo === undefined
    ? Promise.resolve()
    : appendChange(tx, {
        albumId: photo.albumId,
        entity: 'photo',
        entityId: photo.id,
        op: 'upsert',
        version: photo.version,
      }).then(() => undefined);

/**
 * Refuses a photo: its bytes go at once; the row stays to say why (status and feed) until the
 * photo's own retention deadline (P11), like any photo's.
 */
export async function failPhoto(
  db: Db,
  blobs: BlobStore,
  photo: PhotoRecord,
  reason: string,
  message: string,
  at: Date,
): Promise<PhotoRecord | undefined> {
  for (const variant of PHOTO_VARIANTS) await blobs.delete(keyOf(photo, variant));
  return db.transaction(async (tx) => {
    const failed = await photos.markFailed(tx, photo.id, {
      reason,
      message,
      expiresAt: photoExpiresAt(photo.completedAt ?? at),
      at,
    });
    await recordChange(tx, failed);
    return failed;
  });
}

/**
 * The processing step between `processing` and `ready`: reads each original once (size and
 * SHA-256 against the claim, image type, pixel limit, EXIF), writes the derivatives, and marks
 * the photo ready with its expiry (P11), or refuses it. Idempotent and bounded: photos are
 * claimed (SKIP LOCKED, with a lease) so concurrent runs never share one, and at most `limit`
 * are taken per call. The photo processor (photoProcessor.ts) calls it one photo at a time,
 * after completions and as a backstop poll.
 */
export async function processPendingPhotos(
  db: Db,
  blobs: BlobStore,
  now: () => Date,
  options: { limit?: number; photoId?: string } = {},
): Promise<ProcessPendingResult> {
  const claimedAt = now();
  const claimed = await db.transaction((tx) =>
    photos.claimProcessing(
      tx,
      claimedAt,
      new Date(claimedAt.getTime() - PROCESSING_CLAIM_MS),
      options.limit ?? 10,
      options.photoId,
    ),
  );
  let ready = 0;
  let failed = 0;
  let deferred = 0;
  for (const photo of claimed) {
    let body;
    try {
      body = await blobs.read(keyOf(photo, 'original'));
    } catch (error) {
      if (!(error instanceof BlobNotFoundError)) {
        deferred++;
        continue;
      }
      await failPhoto(db, blobs, photo, 'upload_missing', 'the uploaded file is missing', now());
      failed++;
      continue;
    }
    const result = await processPhoto(body, { size: photo.size, sha256: photo.sha256 });
    if (!result.ok) {
      await failPhoto(db, blobs, photo, result.reason, result.message, now());
      failed++;
      continue;
    }
    await blobs.write(keyOf(photo, 'thumbnail'), result.photo.thumbnail, 'image/jpeg');
    await blobs.write(keyOf(photo, 'preview'), result.photo.preview, 'image/jpeg');
    const at = now();
    await db.transaction(async (tx) => {
      const done = await photos.markReady(tx, photo.id, {
        width: result.photo.width,
        height: result.photo.height,
        format: result.photo.format,
        takenAtLocal: result.photo.takenAtLocal,
        // Upload time is when the client completed the upload.
        expiresAt: photoExpiresAt(photo.completedAt ?? at),
        at,
      });
      await recordChange(tx, done);
    });
    ready++;
  }
  return { ready, failed, deferred };
}
