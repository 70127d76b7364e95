import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { PhotoView } from '../photos/photoView.js';
import { PageView, toPageView } from '../pages/pageRoutes.js';
import { AlbumParams } from './albumRoutes.js';
import { AlbumView } from './albumView.js';
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT, type ChangeFeedService } from './changeFeedService.js';

const ChangeView = z.object({
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

export function registerChangeFeedRoutes(app: FastifyInstance, feed: ChangeFeedService): void {
  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/changes',
    access: { action: 'album.read' },
    summary:
      'Changes after a cursor, in order (gap-free); 404 once the caller can no longer see the album',
    tags: ['albums'],
    params: AlbumParams,
    querystring: z.strictObject({
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
    handler: async ({ params, query, request }) => {
      const page = await feed.read(
        requireAuth(request),
        params.albumId,
        query.after ?? '0',
        query.limit ?? FEED_DEFAULT_LIMIT,
      );
      return {
        ...page,
        changes: page.changes.map((c) => {
          const base = {
            seq: c.seq,
            entity: c.entity,
            entityId: c.entityId,
            op: c.op,
            version: c.version,
            occurredAt: c.occurredAt.toISOString(),
          };
          switch (c.entity) {
            case 'page':
              return { ...base, page: c.page === null ? null : toPageView(c.page) };
            case 'photo':
              return { ...base, photo: c.photo };
            case 'album':
              return { ...base, album: c.album };
            case 'membership':
              return { ...base, userId: c.userId };
          }
        }),
      };
    },
  });
}
