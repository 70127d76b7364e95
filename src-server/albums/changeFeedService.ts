import type { Db } from '../db/db.js';
import type { AuthContext } from '../http/authContext.js';
import { getPagesByIds } from '../pages/pageRepository.js';
import { photoRepository } from '../photos/photoRepository.js';
import type { AlbumView } from '../../src-shared/cloud/albums.js';
import type { PhotoView } from '../../src-shared/cloud/photos.js';
import { toPhotoView } from '../photos/photoView.js';
import type { StoredPage } from '../pages/pageRepository.js';
import { visibleAlbum } from './albumGate.js';
import { albumRepository } from './albumRepository.js';
import { toAlbumView } from './albumView.js';
import { readChanges, type Change } from './changeFeed.js';

/**
 * One feed entry with what a client needs to apply it: for upserts the entity's current state
 * (page document and version, photo status, album settings), null when it has since been
 * deleted (a later tombstone in the feed says so); for deletes nothing but the tombstone.
 */
export type FeedEntry = Change &
  (
    | { readonly entity: 'page'; readonly page: StoredPage | null }
    | { readonly entity: 'photo'; readonly photo: PhotoView | null }
    | { readonly entity: 'album'; readonly album: AlbumView | null }
    | { readonly entity: 'membership'; readonly userId: string }
  );

export interface FeedPage {
  readonly changes: FeedEntry[];
  /** The cursor for the next call: the last seq returned, or `after` when nothing was new. */
  readonly nextAfter: string;
  readonly hasMore: boolean;
}

/**
 * The album's change feed, ordered by the per-album sequence (gap-free: see changeFeed.ts).
 * A caller who can no longer see the album (removed from it, album deleted) gets 404, like
 * anyone who never could: that 404 is how a client learns it lost access.
 */
export function createChangeFeedService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async read(
      auth: AuthContext,
      albumId: string,
      after: string,
      limit: number,
    ): Promise<FeedPage> {
      const { album } = await visibleAlbum(db, auth, albumId);
      // One snapshot for the changes and the states they point at.
      return db.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const changes = await readChanges(tx, album.id, after, limit + 1);
        const hasMore = changes.length > limit;
        const batch = changes.slice(0, limit);
        const live = (entity: Change['entity']) => [
          ...new Set(
            batch.filter((c) => c.entity === entity && c.op === 'upsert').map((c) => c.entityId),
          ),
        ];
        const pages = await getPagesByIds(tx, album.id, live('page'));
        const photos = new Map(
          (await photoRepository.byIds(tx, album.id, live('photo'))).map((p) => [
            p.id,
            toPhotoView(p),
          ]),
        );
        const current =
          live('album').length > 0 ? await albumRepository.findLive(tx, album.id) : undefined;
        const entries = batch.map((c): FeedEntry => {
          switch (c.entity) {
            case 'page':
              return {
                ...c,
                entity: 'page',
                page: c.op === 'upsert' ? (pages.get(c.entityId) ?? null) : null,
              };
            case 'photo':
              return {
                ...c,
                entity: 'photo',
                photo: c.op === 'upsert' ? (photos.get(c.entityId) ?? null) : null,
              };
            case 'album':
              return {
                ...c,
                entity: 'album',
                album: c.op === 'upsert' && current !== undefined ? toAlbumView(current) : null,
              };
            case 'membership':
              return { ...c, entity: 'membership', userId: c.entityId };
          }
        });
        return { changes: entries, nextAfter: batch.at(-1)?.seq ?? after, hasMore };
      });
    },
  };
}
export type ChangeFeedService = ReturnType<typeof createChangeFeedService>;
