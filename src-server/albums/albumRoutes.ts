import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { AlbumService } from './albumService.js';
import { AlbumView, MemberView, toAlbumView, toMemberView } from './albumView.js';

export const AlbumParams = z.strictObject({ albumId: z.uuid() });
const MemberParams = z.strictObject({ albumId: z.uuid(), userId: z.uuid() });
/** Album settings: the src-shared Album fields; validated by the service with parseAlbum. */
const Settings = z.record(z.string(), z.unknown());

/**
 * Albums and their members. The route guard checks the action; the service checks that the
 * caller may see the album (albums/albumAccess.ts), else 404.
 */
export function registerAlbumRoutes(app: FastifyInstance, albums: AlbumService): void {
  const actor = (request: Parameters<typeof requireAuth>[0]) => ({
    auth: requireAuth(request),
    sourceAddress: request.ip,
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums',
    access: { action: 'album.read' },
    summary: 'The albums the caller may see',
    tags: ['albums'],
    reply: z.object({ albums: z.array(AlbumView) }),
    handler: async ({ request }) => ({
      albums: (await albums.list(requireAuth(request))).map(toAlbumView),
    }),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums',
    access: { action: 'album.create' },
    summary: "Create an album of the caller's studio for a school tenant",
    tags: ['albums'],
    status: 201,
    body: z.strictObject({ schoolTenantId: z.uuid(), settings: Settings }),
    reply: AlbumView,
    handler: async ({ body, request }) => toAlbumView(await albums.create(actor(request), body)),
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId',
    access: { action: 'album.read' },
    summary: 'One album',
    tags: ['albums'],
    params: AlbumParams,
    reply: AlbumView,
    handler: async ({ params, request }) =>
      toAlbumView(await albums.get(requireAuth(request), params.albumId)),
  });

  addRoute(app, {
    method: 'PATCH',
    url: '/v1/albums/:albumId',
    access: { action: 'album.update' },
    summary: 'Change album settings (merged, then validated as a whole)',
    tags: ['albums'],
    params: AlbumParams,
    body: z.strictObject({ settings: Settings }),
    reply: AlbumView,
    handler: async ({ params, body, request }) =>
      toAlbumView(await albums.updateSettings(actor(request), params.albumId, body.settings)),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/archive',
    access: { action: 'album.update' },
    summary: 'Archive (read-only) or unarchive an album',
    tags: ['albums'],
    params: AlbumParams,
    body: z.strictObject({ archived: z.boolean() }),
    reply: AlbumView,
    handler: async ({ params, body, request }) =>
      toAlbumView(await albums.setArchived(actor(request), params.albumId, body.archived)),
  });

  addRoute(app, {
    method: 'DELETE',
    url: '/v1/albums/:albumId',
    access: { action: 'album.update' },
    summary: 'Delete an album (soft: gone for everyone; purged by retention)',
    tags: ['albums'],
    params: AlbumParams,
    reply: z.object({ id: z.string(), deletedAt: z.string() }),
    handler: async ({ params, request }) => {
      const at = await albums.remove(actor(request), params.albumId);
      return { id: params.albumId, deletedAt: at.toISOString() };
    },
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/members',
    access: { action: 'album.read' },
    summary: "The album's members (both tenants)",
    tags: ['albums'],
    params: AlbumParams,
    reply: z.object({ members: z.array(MemberView) }),
    handler: async ({ params, request }) => ({
      members: (await albums.listMembers(requireAuth(request), params.albumId)).map(toMemberView),
    }),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/members',
    access: { action: 'album.members.manage' },
    summary: "Add a user of the caller's own tenant to the album (audited)",
    tags: ['albums'],
    status: 201,
    params: AlbumParams,
    body: z.strictObject({ userId: z.uuid() }),
    reply: MemberView,
    handler: async ({ params, body, request }) =>
      toMemberView(await albums.addMember(actor(request), params.albumId, body.userId)),
  });

  addRoute(app, {
    method: 'DELETE',
    url: '/v1/albums/:albumId/members/:userId',
    access: { action: 'album.members.manage' },
    summary: "Remove a user of the caller's own tenant from the album (audited)",
    tags: ['albums'],
    params: MemberParams,
    reply: z.object({ albumId: z.string(), userId: z.string(), removed: z.literal(true) }),
    handler: async ({ params, request }) => {
      await albums.removeMember(actor(request), params.albumId, params.userId);
      return { albumId: params.albumId, userId: params.userId, removed: true as const };
    },
  });
}
