import type { AlbumView, MemberView } from '../../src-shared/cloud/albums.js';
import type { AlbumMember } from './albumMemberRepository.js';
import type { AlbumRecord } from './albumRepository.js';

/** The server's records as the API shows them (the shapes are src-shared/cloud/albums.ts). */
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

export const toMemberView = (m: AlbumMember): MemberView => ({
  userId: m.userId,
  addedAt: m.addedAt.toISOString(),
});
