import type { PhotoView } from '../../src-shared/cloud/photos.js';
import type { PhotoRecord } from './photoRepository.js';

/** A photo record as the API shows it (the shape is src-shared/cloud/photos.ts). */
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
