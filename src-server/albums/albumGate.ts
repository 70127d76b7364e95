import type { Queryable } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { AuthContext } from '../http/authContext.js';
import { canSeeAlbum } from './albumAccess.js';
import { albumRepository, type AlbumRecord, type AlbumWithMembership } from './albumRepository.js';

export const albumNotFound = () => new ApiError(404, 'not_found', 'Not found');

/**
 * The album behind a route's `:albumId`, if the caller may see it (albumAccess.ts); otherwise
 * 404 exactly like a missing album, whatever the reason (P15). Every album, page, photo and
 * feed service goes through here before touching anything of the album.
 */
export async function visibleAlbum(
  q: Queryable,
  auth: AuthContext,
  albumId: string,
  forUpdate = false,
): Promise<AlbumWithMembership> {
  if (auth.tenantId === null) throw albumNotFound();
  const found = await albumRepository.findForTenant(
    q,
    albumId,
    { tenantId: auth.tenantId, userId: auth.userId },
    forUpdate,
  );
  if (found === undefined || !canSeeAlbum(found.album, auth, found.isMember)) {
    throw albumNotFound();
  }
  return found;
}

/** Archived albums are read-only until unarchived. */
export function requireWritable(album: AlbumRecord): void {
  if (album.archivedAt !== null) {
    throw new ApiError(409, 'album_archived', 'The album is archived; unarchive it to change it');
  }
}
