import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PHOTO_VARIANTS } from '../blobs/blobKeys.js';
import { AlbumParams } from '../albums/albumRoutes.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { displayText } from '../http/schemas.js';
import {
  ACCEPTED_CONTENT_TYPES,
  MAX_PHOTO_BYTES,
  MAX_UPLOADS_PER_BATCH,
  type PhotoService,
  type UploadAnswer,
} from './photoService.js';
import { PhotoView, toPhotoView } from './photoView.js';

const Sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/);
const PhotoParams = z.strictObject({ albumId: z.uuid(), photoId: z.uuid() });
const Part = z.object({ partNumber: z.number(), etag: z.string() });

const UploadView = z.object({
  photo: PhotoView,
  duplicate: z.boolean(),
  upload: z
    .object({
      kind: z.enum(['single', 'multipart']),
      url: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      partSize: z.number().optional(),
      parts: z
        .array(z.object({ partNumber: z.number(), size: z.number(), url: z.string() }))
        .optional(),
      completedParts: z.array(Part).optional(),
      expiresAt: z.string(),
    })
    .nullable(),
});

const UploadRequestBody = z.strictObject({
  sha256: Sha256,
  size: z.int().min(1).max(MAX_PHOTO_BYTES),
  fileName: displayText(255),
  contentType: z.enum(ACCEPTED_CONTENT_TYPES),
});

const toUploadView = (a: UploadAnswer): z.output<typeof UploadView> => ({
  photo: toPhotoView(a.photo),
  duplicate: a.duplicate,
  upload: a.upload,
});

/** Photos of an album: upload needs 'photo.upload', reading 'photo.read'. */
export function registerPhotoRoutes(app: FastifyInstance, photos: PhotoService): void {
  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/photos/check',
    access: { action: 'photo.upload' },
    summary: 'Which of these SHA-256 hashes the album already has',
    tags: ['photos'],
    params: AlbumParams,
    body: z.strictObject({ hashes: z.array(Sha256).max(1000) }),
    reply: z.object({
      existing: z.array(z.object({ sha256: z.string(), photoId: z.string(), status: z.string() })),
    }),
    handler: async ({ params, body, request }) => ({
      existing: (await photos.check(requireAuth(request), params.albumId, body.hashes)).map(
        (p) => ({ sha256: p.sha256, photoId: p.id, status: p.status }),
      ),
    }),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/photos/uploads',
    access: { action: 'photo.upload' },
    summary:
      'Start (or resume) an upload: a presigned PUT below 64 MiB, else multipart with 8 MiB parts; a known hash answers the existing photo',
    tags: ['photos'],
    params: AlbumParams,
    body: UploadRequestBody,
    reply: UploadView,
    handler: async ({ params, body, request }) =>
      toUploadView(await photos.start(requireAuth(request), params.albumId, body)),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/photos/uploads/batch',
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
    handler: async ({ params, body, request }) => ({
      results: (await photos.startMany(requireAuth(request), params.albumId, body.uploads)).map(
        (r) =>
          r.ok
            ? { ok: true as const, value: toUploadView(r.value) }
            : { ok: false as const, error: { code: r.error.code, message: r.error.message } },
      ),
    }),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/photos/:photoId/parts',
    access: { action: 'photo.upload' },
    summary: 'Record a finished part of your multipart upload (so a restart resumes)',
    tags: ['photos'],
    params: PhotoParams,
    body: z.strictObject({
      partNumber: z.int().min(1).max(10_000),
      etag: z.string().min(1).max(200),
    }),
    reply: z.object({ completedParts: z.array(Part) }),
    handler: async ({ params, body, request }) => ({
      completedParts: await photos.recordPart(
        requireAuth(request),
        params.albumId,
        params.photoId,
        body,
      ),
    }),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/photos/:photoId/complete',
    access: { action: 'photo.upload' },
    summary:
      'Complete your upload: the photo is processing, then ready once its size and SHA-256 are verified (or failed with the reason)',
    tags: ['photos'],
    params: PhotoParams,
    reply: PhotoView,
    handler: async ({ params, request }) =>
      toPhotoView(await photos.complete(requireAuth(request), params.albumId, params.photoId)),
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/photos',
    access: { action: 'photo.read' },
    summary: 'The photos of an album with their status',
    tags: ['photos'],
    params: AlbumParams,
    reply: z.object({ photos: z.array(PhotoView) }),
    handler: async ({ params, request }) => ({
      photos: (await photos.list(requireAuth(request), params.albumId)).map(toPhotoView),
    }),
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/photos/:photoId',
    access: { action: 'photo.read' },
    summary: 'One photo and its status (a failed one says why)',
    tags: ['photos'],
    params: PhotoParams,
    reply: PhotoView,
    handler: async ({ params, request }) =>
      toPhotoView(await photos.get(requireAuth(request), params.albumId, params.photoId)),
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/photos/:photoId/url',
    access: { action: 'photo.read' },
    summary: 'A 5-minute download URL of a ready photo (original, preview or thumbnail)',
    tags: ['photos'],
    params: PhotoParams,
    querystring: z.strictObject({ variant: z.enum(PHOTO_VARIANTS).default('original') }),
    reply: z.object({ url: z.string(), variant: z.enum(PHOTO_VARIANTS), expiresAt: z.string() }),
    handler: async ({ params, query, request }) => {
      const variant = query.variant ?? 'original';
      const link = await photos.downloadUrl(
        requireAuth(request),
        params.albumId,
        params.photoId,
        variant,
      );
      return { ...link, variant };
    },
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/photos/:photoId/content',
    access: { action: 'photo.read' },
    summary:
      'The bytes of a ready photo (original, preview or thumbnail), streamed after the permission check',
    tags: ['photos'],
    params: PhotoParams,
    querystring: z.strictObject({ variant: z.enum(PHOTO_VARIANTS).default('original') }),
    reply: z.unknown().meta({ description: 'the image (streamed; JPEG for derivatives)' }),
    handler: async ({ params, query, request, reply }) => {
      const content = await photos.openContent(
        requireAuth(request),
        params.albumId,
        params.photoId,
        query.variant ?? 'original',
      );
      return reply
        .header('content-type', content.contentType)
        .header('content-length', String(content.size))
        .header('cache-control', 'private, no-store')
        .send(content.stream);
    },
  });
}
