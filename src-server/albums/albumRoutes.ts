import type { FastifyInstance } from 'fastify';
import { albumApi } from '../../src-shared/cloud/albums.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { AlbumService } from './albumService.js';
import { toAlbumView, toMemberView } from './albumView.js';

/**
 * Albums and their members. The route guard checks the action; the service checks that the
 * caller may see the album (albums/albumAccess.ts), else 404.
 */
export function registerAlbumRoutes(app: FastifyInstance, albums: AlbumService): void {
  const actor = (request: Parameters<typeof requireAuth>[0]) => ({
    auth: requireAuth(request),
    sourceAddress: request.ip,
  });

  addRoute(app, albumApi.list, {
    handler: async ({ request }) => ({
      albums: (await albums.list(requireAuth(request))).map(toAlbumView),
    }),
  });

  addRoute(app, albumApi.create, {
    handler: async ({ body, request }) => toAlbumView(await albums.create(actor(request), body)),
  });

  addRoute(app, albumApi.get, {
    handler: async ({ params, request }) =>
      toAlbumView(await albums.get(requireAuth(request), params.albumId)),
  });

  addRoute(app, albumApi.updateSettings, {
    handler: async ({ params, body, request }) =>
      toAlbumView(await albums.updateSettings(actor(request), params.albumId, body.settings)),
  });

  addRoute(app, albumApi.archive, {
    handler: async ({ params, body, request }) =>
      toAlbumView(await albums.setArchived(actor(request), params.albumId, body.archived)),
  });

  addRoute(app, albumApi.remove, {
    handler: async ({ params, request }) => {
      const at = await albums.remove(actor(request), params.albumId);
      return { id: params.albumId, deletedAt: at.toISOString() };
    },
  });

  addRoute(app, albumApi.listMembers, {
    handler: async ({ params, request }) => ({
      members: (await albums.listMembers(requireAuth(request), params.albumId)).map(toMemberView),
    }),
  });

  addRoute(app, albumApi.addMember, {
    handler: async ({ params, body, request }) =>
      toMemberView(await albums.addMember(actor(request), params.albumId, body.userId)),
  });

  addRoute(app, albumApi.removeMember, {
    handler: async ({ params, request }) => {
      await albums.removeMember(actor(request), params.albumId, params.userId);
      return { albumId: params.albumId, userId: params.userId, removed: true as const };
    },
  });
}
