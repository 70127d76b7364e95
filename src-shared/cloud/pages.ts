import { z } from 'zod';
import { IdSchema } from '../model/page.js';
import { AlbumParams } from './albums.js';
import { defineRoute } from './routeSpec.js';

const PageParams = z.strictObject({ albumId: z.uuid(), pageId: IdSchema });
/** A page document; validated by the server with parsePage (422 names the first bad field). */
const PageDocument = z.record(z.string(), z.unknown());

/**
 * A page as the API shows it. `document` is the src-shared Page (parsePage on the way in, and
 * by the desktop on the way back); its schema has refinements, so here it is only "object".
 */
export const PageView = z.object({
  document: z.record(z.string(), z.unknown()),
  version: z.number(),
});
export type PageView = z.output<typeof PageView>;

/**
 * The headers of a page push: the version the client's copy is based on (428 without it), the
 * pushing client and that client's mutation number, so a retried push is applied once.
 */
export const PUSH_HEADERS = {
  baseVersion: 'if-match',
  clientId: 'x-client-id',
  mutationNo: 'x-mutation-no',
} as const;

export const pushHeaders = (push: {
  baseVersion: number;
  clientId: string;
  mutationNo: number;
}): Record<string, string> => ({
  [PUSH_HEADERS.baseVersion]: String(push.baseVersion),
  [PUSH_HEADERS.clientId]: push.clientId,
  [PUSH_HEADERS.mutationNo]: String(push.mutationNo),
});

/** Pages of an album: reads need 'page.read', writes 'page.edit' (studio roles). */
export const pageApi = {
  list: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/pages',
    access: { action: 'page.read' },
    summary: 'The pages of an album, in order',
    tags: ['pages'],
    params: AlbumParams,
    reply: z.object({ pages: z.array(PageView) }),
  }),
  get: defineRoute({
    method: 'GET',
    path: '/v1/albums/:albumId/pages/:pageId',
    access: { action: 'page.read' },
    summary: 'One page with its server version',
    tags: ['pages'],
    params: PageParams,
    reply: PageView,
  }),
  create: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/pages',
    access: { action: 'page.edit' },
    summary: 'Create a page (client-made id) at version 1',
    tags: ['pages'],
    status: 201,
    params: AlbumParams,
    body: PageDocument,
    reply: PageView,
  }),
  /** 412 `version_conflict` carries the server's copy as the error body's `current` (a PageView). */
  put: defineRoute({
    method: 'PUT',
    path: '/v1/albums/:albumId/pages/:pageId',
    access: { action: 'page.edit' },
    summary:
      'Push a page: If-Match <version> (428 without), X-Client-Id, X-Mutation-No; 412 version_conflict carries the current copy',
    tags: ['pages'],
    params: PageParams,
    body: PageDocument,
    reply: z.object({ version: z.number(), replayed: z.boolean() }),
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/v1/albums/:albumId/pages/:pageId',
    access: { action: 'page.edit' },
    summary: 'Delete a page (a tombstone in the change feed)',
    tags: ['pages'],
    params: PageParams,
    reply: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  reorder: defineRoute({
    method: 'POST',
    path: '/v1/albums/:albumId/pages/reorder',
    access: { action: 'page.edit' },
    summary: 'Set the order of all pages in one transaction (each moved page gets a new version)',
    tags: ['pages'],
    params: AlbumParams,
    body: z.strictObject({ order: z.array(IdSchema).max(10_000) }),
    reply: z.object({ pages: z.array(PageView) }),
  }),
};
