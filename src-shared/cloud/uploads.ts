import { z } from 'zod';
import { AlbumParams } from './albums.js';
import { PhotoParams, PhotoView } from './photos.js';
import { defineRoute } from './routeSpec.js';
import { displayText } from './schemas.js';

/** Originals are read into memory once for verification; 100 MP TIFFs fit well below this. */
export const MAX_PHOTO_BYTES = 512 * 1024 * 1024;
export const ACCEPTED_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/tiff',
] as const;
export type AcceptedContentType = (typeof ACCEPTED_CONTENT_TYPES)[number];
/** Uploads one batch call may start. */
export const MAX_UPLOADS_PER_BATCH = 100;
/** Hashes one check call may ask about. */
export const MAX_CHECK_HASHES = 1000;

const Sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/);
export const PartView = z.object({ partNumber: z.number(), etag: z.string() });
export type PartView = z.output<typeof PartView>;

/** One presigned PUT, sent with exactly these headers (the URL is signed for them). */
const SinglePut = z.object({
  kind: z.literal('single'),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});
/** A multipart upload: one presigned URL per part; parts the server has recorded are listed. */
const MultipartPut = z.object({
  kind: z.literal('multipart'),
  partSize: z.number(),
  parts: z.array(z.object({ partNumber: z.number(), size: z.number(), url: z.string() })),
  completedParts: z.array(PartView),
  expiresAt: z.string(),
});

/** How to send a photo's bytes; `upload` is null when the album already has them. */
export const UploadView = z.object({
  photo: PhotoView,
  duplicate: z.boolean(),
  upload: z.discriminatedUnion('kind', [SinglePut, MultipartPut]).nullable(),
});
export type UploadView = z.output<typeof UploadView>;

const UploadRequestBody = z.strictObject({
  sha256: Sha256,
  size: z.int().min(1).max(MAX_PHOTO_BYTES),
  fileName: displayText(255),
  contentType: z.enum(ACCEPTED_CONTENT_TYPES),
});

/** Uploading photos to an album needs 'photo.upload' (DESIGN.md, Photo upload). */
export const uploadApi = {
  check: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/photos/check',
    access: { action: 'photo.upload' },
    summary: 'Which of these SHA-256 hashes the album already has',
    tags: ['photos'],
    params: AlbumParams,
    body: z.strictObject({ hashes: z.array(Sha256).max(MAX_CHECK_HASHES) }),
    reply: z.object({
      existing: z.array(z.object({ sha256: z.string(), photoId: z.string(), status: z.string() })),
    }),
  }),
  start: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/photos/uploads',
    access: { action: 'photo.upload' },
    summary:
      'Start (or resume) an upload: a presigned PUT below 64 MiB, else multipart with 8 MiB parts; a known hash answers the existing photo',
    tags: ['photos'],
    params: AlbumParams,
    body: UploadRequestBody,
    reply: UploadView,
  }),
  startBatch: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/photos/uploads/batch',
    access: { action: 'photo.upload' },
    summary:
      'Start (or resume) several uploads in one call, each answered as by POST .../uploads or with its own error (e.g. photo_too_large)',
    tags: ['photos'],
    params: AlbumParams,
    body: z.strictObject({
      // No size cap here: a photo over the limit gets its own photo_too_large answer.
      uploads: z
        .array(UploadRequestBody.extend({ size: z.int().min(1) }))
        .min(1)
        .max(MAX_UPLOADS_PER_BATCH),
    }),
    reply: z.object({
      results: z.array(
        z.union([
          z.object({ ok: z.literal(true), value: UploadView }),
          z.object({
            ok: z.literal(false),
            error: z.object({ code: z.string(), message: z.string() }),
          }),
        ]),
      ),
    }),
  }),
  recordPart: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/photos/:photoId/parts',
    access: { action: 'photo.upload' },
    summary: 'Record a finished part of your multipart upload (so a restart resumes)',
    tags: ['photos'],
    params: PhotoParams,
    body: z.strictObject({
      partNumber: z.int().min(1).max(10_000),
      etag: z.string().min(1).max(200),
    }),
    reply: z.object({ completedParts: z.array(PartView) }),
  }),
  complete: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/photos/:photoId/complete',
    access: { action: 'photo.upload' },
    summary:
      'Complete your upload: the photo is processing, then ready once its size and SHA-256 are verified (or failed with the reason)',
    tags: ['photos'],
    params: PhotoParams,
    reply: PhotoView,
  }),
};
