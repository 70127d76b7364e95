import { z } from 'zod';
import { AlbumParams, AlbumView } from './albums.js';
import { PageView } from './pages.js';
import { PhotoView } from './photos.js';
import { defineRoute } from './routeSpec.js';

export const FEED_DEFAULT_LIMIT = 200;
export const FEED_MAX_LIMIT = 1000;

export const ChangeView = z.object({
  /** Decimal string: the sequence is a bigint. */
  seq: z.string(),
  entity: z.enum(['album', 'page', 'photo', 'membership']),
  entityId: z.string(),
  op: z.enum(['upsert', 'delete']),
  version: z.number().nullable(),
  occurredAt: z.string(),
  /** Current state for upserts (null once deleted: a later tombstone follows). */
  page: PageView.nullable().optional(),
  photo: PhotoView.nullable().optional(),
  album: AlbumView.nullable().optional(),
  /** Membership entries: whose membership was added or removed. */
  userId: z.string().optional(),
});
export type ChangeView = z.output<typeof ChangeView>;

/** An album's change feed: what desktop sync follows. */
export const changeApi = {
  list: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/changes',
    access: { action: 'album.read' },
    summary:
      'Changes after a cursor, in order (gap-free); 404 once the caller can no longer see the album',
    tags: ['albums'],
    params: AlbumParams,
    query: z.strictObject({
      after: z
        .string()
        .regex(/^\d{1,18}$/)
        .default('0'),
      limit: z.int().min(1).max(FEED_MAX_LIMIT).default(FEED_DEFAULT_LIMIT),
    }),
    reply: z.object({
      changes: z.array(ChangeView),
      nextAfter: z.string(),
      hasMore: z.boolean(),
    }),
  }),
};
