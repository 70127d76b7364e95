import { z } from 'zod';
import { PHOTO_STATUSES, type PhotoRecord } from './photoRepository.js';

/** A photo as the API and the change feed show it. Never an object key. */
export const PhotoView = z.object({
  id: z.string(),
  albumId: z.string(),
  sha256: z.string(),
  size: z.number(),
  fileName: z.string(),
  contentType: z.string(),
  status: z.enum(PHOTO_STATUSES),
  /** Why a `failed` photo was refused (e.g. `hash_mismatch`, `too_many_pixels`). */
  failure: z.object({ reason: z.string(), message: z.string() }).nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  format: z.string().nullable(),
  /** EXIF DateTimeOriginal as the camera's wall clock, no zone. */
  takenAtLocal: z.string().nullable(),
  uploadedBy: z.string(),
  version: z.number(),
  createdAt: z.string(),
  readyAt: z.string().nullable(),
  /** P11: the photo and its derivatives are erased at this instant. */
  expiresAt: z.string().nullable(),
});
export type PhotoView = z.output<typeof PhotoView>;

export const toPhotoView = (p: PhotoRecord): PhotoView => ({
  id: p.id,
  albumId: p.albumId,
  sha256: p.sha256,
  size: p.size,
  fileName: p.fileName,
  contentType: p.contentType,
  status: p.status,
  failure:
    p.failureReason === null
      ? null
      : { reason: p.failureReason, message: p.failureMessage ?? p.failureReason },
  width: p.width,
  height: p.height,
  format: p.format,
  takenAtLocal: p.takenAtLocal,
  uploadedBy: p.uploadedBy,
  version: p.version,
  createdAt: p.createdAt.toISOString(),
  readyAt: p.readyAt?.toISOString() ?? null,
  expiresAt: p.expiresAt?.toISOString() ?? null,
});
