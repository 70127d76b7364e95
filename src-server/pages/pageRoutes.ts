import type { FastifyInstance } from 'fastify';
import { pageApi } from '../../src-shared/cloud/pages.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { PageService } from './pageService.js';
import { toPageView } from './pageView.js';
import { pushIdentity } from './pushHeaders.js';

/** Pages of an album: reads need 'page.read', writes 'page.edit' (studio roles). */
export function registerPageRoutes(app: FastifyInstance, pages: PageService): void {
  addRoute(app, pageApi.list, {
    handler: async ({ params, request }) => ({
      pages: (await pages.list(requireAuth(request), params.albumId)).map(toPageView),
    }),
  });

  addRoute(app, pageApi.get, {
    handler: async ({ params, request }) =>
      toPageView(await pages.get(requireAuth(request), params.albumId, params.pageId)),
  });

  addRoute(app, pageApi.create, {
    handler: async ({ params, body, request }) =>
      toPageView(await pages.create(requireAuth(request), params.albumId, body)),
  });

  addRoute(app, pageApi.put, {
    handler: async ({ params, body, request }) =>
      pages.put(requireAuth(request), params.albumId, params.pageId, body, pushIdentity(request)),
  });

  addRoute(app, pageApi.remove, {
    handler: async ({ params, request }) => {
      await pages.remove(requireAuth(request), params.albumId, params.pageId);
      return { id: params.pageId, deleted: true as const };
    },
  });

  addRoute(app, pageApi.reorder, {
    handler: async ({ params, body, request }) => ({
      pages: (await pages.reorder(requireAuth(request), params.albumId, body.order)).map(
        toPageView,
      ),
    }),
  });
}
