import { z } from 'zod';
import type { AlbumMember } from './albumMemberRepository.js';
import type { AlbumRecord } from './albumRepository.js';

/**
 * An album as the API shows it. `settings` is the src-shared Album document (validated with
 * parseAlbum on the way in); its schema has refinements, so the reply schema only says "object".
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

export const toAlbumView = (a: AlbumRecord): AlbumView => ({
  id: a.id,
  studioTenantId: a.studioTenantId,
  schoolTenantId: a.schoolTenantId,
  settings: a.document,
  version: a.version,
  archived: a.archivedAt !== null,
  archivedAt: a.archivedAt?.toISOString() ?? null,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

export const MemberView = z.object({ userId: z.string(), addedAt: z.string() });
export const toMemberView = (m: AlbumMember): z.output<typeof MemberView> => ({
  userId: m.userId,
  addedAt: m.addedAt.toISOString(),
});
