import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { IdSchema } from '../../src-shared/model/page.js';
import { AlbumParams } from '../albums/albumRoutes.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { StoredPage } from './pageRepository.js';
import type { PageService } from './pageService.js';
import { pushIdentity } from './pushHeaders.js';

const PageParams = z.strictObject({ albumId: z.uuid(), pageId: IdSchema });
/** A page document; validated by the service with parsePage (422 names the first bad field). */
const PageDocument = z.record(z.string(), z.unknown());

export const PageView = z.object({
  document: z.record(z.string(), z.unknown()),
  version: z.number(),
});
export const toPageView = (p: StoredPage): z.output<typeof PageView> => ({
  document: p.document,
  version: p.version,
});

/** Pages of an album: reads need 'page.read', writes 'page.edit' (studio roles). */
export function registerPageRoutes(app: FastifyInstance, pages: PageService): void {
  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/pages',
    access: { action: 'page.read' },
    summary: 'The pages of an album, in order',
    tags: ['pages'],
    params: AlbumParams,
    reply: z.object({ pages: z.array(PageView) }),
    handler: async ({ params, request }) => ({
      pages: (await pages.list(requireAuth(request), params.albumId)).map(toPageView),
    }),
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/pages/:pageId',
    access: { action: 'page.read' },
    summary: 'One page with its server version',
    tags: ['pages'],
    params: PageParams,
    reply: PageView,
    handler: async ({ params, request }) =>
      toPageView(await pages.get(requireAuth(request), params.albumId, params.pageId)),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/pages',
    access: { action: 'page.edit' },
    summary: 'Create a page (client-made id) at version 1',
    tags: ['pages'],
    status: 201,
    params: AlbumParams,
    body: PageDocument,
    reply: PageView,
    handler: async ({ params, body, request }) =>
      toPageView(await pages.create(requireAuth(request), params.albumId, body)),
  });

  addRoute(app, {
    method: 'PUT',
    url: '/v1/albums/:albumId/pages/:pageId',
    access: { action: 'page.edit' },
    summary:
      'Push a page: If-Match <version> (428 without), X-Client-Id, X-Mutation-No; 412 version_conflict carries the current copy',
    tags: ['pages'],
    params: PageParams,
    body: PageDocument,
    reply: z.object({ version: z.number(), replayed: z.boolean() }),
    handler: async ({ params, body, request }) =>
      pages.put(requireAuth(request), params.albumId, params.pageId, body, pushIdentity(request)),
  });

  addRoute(app, {
    method: 'DELETE',
    url: '/v1/albums/:albumId/pages/:pageId',
    access: { action: 'page.edit' },
    summary: 'Delete a page (a tombstone in the change feed)',
    tags: ['pages'],
    params: PageParams,
    reply: z.object({ id: z.string(), deleted: z.literal(true) }),
    handler: async ({ params, request }) => {
      await pages.remove(requireAuth(request), params.albumId, params.pageId);
      return { id: params.pageId, deleted: true as const };
    },
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/albums/:albumId/pages/reorder',
    access: { action: 'page.edit' },
    summary: 'Set the order of all pages in one transaction (each moved page gets a new version)',
    tags: ['pages'],
    params: AlbumParams,
    body: z.strictObject({ order: z.array(IdSchema).max(10_000) }),
    reply: z.object({ pages: z.array(PageView) }),
    handler: async ({ params, body, request }) => ({
      pages: (await pages.reorder(requireAuth(request), params.albumId, body.order)).map(
        toPageView,
      ),
    }),
  });
}
