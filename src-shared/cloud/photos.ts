import { z } from 'zod';
import { AlbumParams } from './albums.js';
import { defineRoute } from './routeSpec.js';

export const PHOTO_STATUSES = ['uploading', 'processing', 'ready', 'failed'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];
export const PHOTO_VARIANTS = ['original', 'preview', 'thumbnail'] as const;
export type PhotoVariant = (typeof PHOTO_VARIANTS)[number];

export const PhotoParams = z.strictObject({ albumId: z.uuid(), photoId: z.uuid() });
const VariantQuery = z.strictObject({ variant: z.enum(PHOTO_VARIANTS).default('original') });

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

/** Reading an album's photos needs 'photo.read' (uploading them: uploads.ts). */
export const photoApi = {
  list: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/photos',
    access: { action: 'photo.read' },
    summary: 'The photos of an album with their status',
    tags: ['photos'],
    params: AlbumParams,
    reply: z.object({ photos: z.array(PhotoView) }),
  }),
  get: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/photos/:photoId',
    access: { action: 'photo.read' },
    summary: 'One photo and its status (a failed one says why)',
    tags: ['photos'],
    params: PhotoParams,
    reply: PhotoView,
  }),
  downloadUrl: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/photos/:photoId/url',
    access: { action: 'photo.read' },
    summary: 'A 5-minute download URL of a ready photo (original, preview or thumbnail)',
    tags: ['photos'],
    params: PhotoParams,
    query: VariantQuery,
    reply: z.object({ url: z.string(), variant: z.enum(PHOTO_VARIANTS), expiresAt: z.string() }),
  }),
  content: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/photos/:photoId/content',
    access: { action: 'photo.read' },
    summary:
      'The bytes of a ready photo (original, preview or thumbnail), streamed after the permission check',
    tags: ['photos'],
    params: PhotoParams,
    query: VariantQuery,
    content: 'binary',
    reply: z.unknown().meta({ description: 'the image (streamed; JPEG for derivatives)' }),
  }),
};
