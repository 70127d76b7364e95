import { z } from 'zod';
import { defineRoute } from './routeSpec.js';

/** Path parameters of everything inside one album. */
export const AlbumParams = z.strictObject({ albumId: z.uuid() });
const MemberParams = z.strictObject({ albumId: z.uuid(), userId: z.uuid() });
/** Album settings: the src-shared Album fields; validated by the server with parseAlbum. */
const Settings = z.record(z.string(), z.unknown());

/**
 * An album as the API shows it. `settings` is the src-shared Album document (validated with
 * parseAlbum on the way in, and by the desktop on the way back); its schema has refinements, so
 * the reply schema only says "object".
 */
export const AlbumView = z.object({
  id: z.string(),
  studioTenantId: z.string(),
  schoolTenantId: z.string(),
  settings: z.record(z.string(), z.unknown()),
  version: z.number(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlbumView = z.output<typeof AlbumView>;

export const MemberView = z.object({ userId: z.string(), addedAt: z.string() });
export type MemberView = z.output<typeof MemberView>;

/**
 * Albums and their members. The route guard checks the action; the server checks that the
 * caller may see the album, else 404.
 */
export const albumApi = {
  list: defineRoute({
    method: 'GET',
    path: '/v1/albums',
    access: { action: 'album.read' },
    summary: 'The albums the caller may see',
    tags: ['albums'],
    reply: z.object({ albums: z.array(AlbumView) }),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/v1/albums',
    access: { action: 'album.create' },
    summary: "Create an album of the caller's studio for a school tenant",
    tags: ['albums'],
    status: 201,
    body: z.strictObject({ schoolTenantId: z.uuid(), settings: Settings }),
    reply: AlbumView,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId',
    access: { action: 'album.read' },
    summary: 'One album',
    tags: ['albums'],
    params: AlbumParams,
    reply: AlbumView,
  }),
  updateSettings: defineRoute({
    method: 'PATCH',
    path: '/v1/albums/:albumId',
    access: { action: 'album.update' },
    summary: 'Change album settings (merged, then validated as a whole)',
    tags: ['albums'],
    params: AlbumParams,
    body: z.strictObject({ settings: Settings }),
    reply: AlbumView,
  }),
  archive: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/archive',
    access: { action: 'album.update' },
    summary: 'Archive (read-only) or unarchive an album',
    tags: ['albums'],
    params: AlbumParams,
    body: z.strictObject({ archived: z.boolean() }),
    reply: AlbumView,
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/v1/albums/:albumId',
    access: { action: 'album.update' },
    summary: 'Delete an album (soft: gone for everyone; purged by retention)',
    tags: ['albums'],
    params: AlbumParams,
    reply: z.object({ id: z.string(), deletedAt: z.string() }),
  }),
  listMembers: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/members',
    access: { action: 'album.read' },
    summary: "The album's members (both tenants)",
    tags: ['albums'],
    params: AlbumParams,
    reply: z.object({ members: z.array(MemberView) }),
  }),
  addMember: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/members',
    access: { action: 'album.members.manage' },
    summary: "Add a user of the caller's own tenant to the album (audited)",
    tags: ['albums'],
    status: 201,
    params: AlbumParams,
    body: z.strictObject({ userId: z.uuid() }),
    reply: MemberView,
  }),
  removeMember: defineRoute({
    method: 'DELETE',
    path: '/v1/albums/:albumId/members/:userId',
    access: { action: 'album.members.manage' },
    summary: "Remove a user of the caller's own tenant from the album (audited)",
    tags: ['albums'],
    params: MemberParams,
    reply: z.object({ albumId: z.string(), userId: z.string(), removed: z.literal(true) }),
  }),
  /** The album archive (P1); its format is docs/export-format.md. */
  export: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/export',
    access: { action: 'album.export' },
    summary: 'The album as a zip: manifest, pages, photo originals with their metadata',
    tags: ['albums'],
    params: AlbumParams,
    content: 'binary',
    reply: z.unknown().meta({ description: 'application/zip (streamed)' }),
  }),
};
