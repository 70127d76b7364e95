import type { Queryable } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { AuthContext } from '../http/authContext.js';
import { canSeeAlbum } from './albumAccess.js';
import { isDue } from '../../src-shared/retention/deadlines.js';
import { albumRepository, type AlbumWithMembership } from './albumRepository.js';

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

/**
 * Archived albums are read-only until unarchived; an album whose studio's or school's contract
 * has ended is read-only until purged (P4), for the other side too.
 */
export function requireWritable(found: AlbumWithMembership, at: Date): void {
  if (found.contractEnd !== null && isDue(found.contractEnd, at)) {
    throw new ApiError(
      403,
      'contract_ended',
      'A contract for this album has ended: it can be read and exported but not changed',
    );
  }
  if (found.album.archivedAt !== null) {
    throw new ApiError(409, 'album_archived', 'The album is archived; unarchive it to change it');
  }
}
