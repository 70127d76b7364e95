import type { FastifyInstance } from 'fastify';
import { photoApi } from '../../src-shared/cloud/photos.js';
import { uploadApi, type UploadView } from '../../src-shared/cloud/uploads.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { PhotoService, UploadAnswer } from './photoService.js';
import { toPhotoView } from './photoView.js';

const toUploadView = (a: UploadAnswer): UploadView => ({
  photo: toPhotoView(a.photo),
  duplicate: a.duplicate,
  upload: a.upload,
});

/** Photos of an album: upload needs 'photo.upload', reading 'photo.read'. */
export function registerPhotoRoutes(app: FastifyInstance, photos: PhotoService): void {
  addRoute(app, uploadApi.check, {
    handler: async ({ params, body, request }) => ({
      existing: (await photos.check(requireAuth(request), params.albumId, body.hashes)).map(
        (p) => ({ sha256: p.sha256, photoId: p.id, status: p.status }),
      ),
    }),
  });

  addRoute(app, uploadApi.start, {
    handler: async ({ params, body, request }) =>
      toUploadView(await photos.start(requireAuth(request), params.albumId, body)),
  });

  addRoute(app, uploadApi.startBatch, {
    handler: async ({ params, body, request }) => ({
      results: (await photos.startMany(requireAuth(request), params.albumId, body.uploads)).map(
        (r) =>
          r.ok
            ? { ok: true as const, value: toUploadView(r.value) }
            : { ok: false as const, error: { code: r.error.code, message: r.error.message } },
      ),
    }),
  });

  addRoute(app, uploadApi.recordPart, {
    handler: async ({ params, body, request }) => ({
      completedParts: await photos.recordPart(
        requireAuth(request),
        params.albumId,
        params.photoId,
        body,
      ),
    }),
  });

  addRoute(app, uploadApi.complete, {
    handler: async ({ params, request }) =>
      toPhotoView(await photos.complete(requireAuth(request), params.albumId, params.photoId)),
  });

  addRoute(app, photoApi.list, {
    handler: async ({ params, request }) => ({
      photos: (await photos.list(requireAuth(request), params.albumId)).map(toPhotoView),
    }),
  });

  addRoute(app, photoApi.get, {
    handler: async ({ params, request }) =>
      toPhotoView(await photos.get(requireAuth(request), params.albumId, params.photoId)),
  });

  addRoute(app, photoApi.downloadUrl, {
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

  addRoute(app, photoApi.content, {
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
