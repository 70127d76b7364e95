import type { FastifyInstance } from 'fastify';
import { changeApi, FEED_DEFAULT_LIMIT } from '../../src-shared/cloud/changes.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { toPageView } from '../pages/pageView.js';
import type { ChangeFeedService } from './changeFeedService.js';

export function registerChangeFeedRoutes(app: FastifyInstance, feed: ChangeFeedService): void {
  addRoute(app, changeApi.list, {
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
