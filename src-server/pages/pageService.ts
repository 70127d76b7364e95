import { parsePage } from '../../src-shared/model/parse.js';
import type { Page } from '../../src-shared/model/page.js';
import { requireWritable, visibleAlbum } from '../albums/albumGate.js';
import type { Db } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { AuthContext } from '../http/authContext.js';
import {
  createPage,
  deletePage,
  getPage,
  listPages,
  putPage,
  reorderPages,
  type StoredPage,
} from './pageRepository.js';

/** What identifies one push, so that a retried push is applied once. */
export interface PushIdentity {
  /** The version the client's copy is based on (If-Match). */
  readonly ifMatch: number;
  readonly clientId: string;
  readonly mutationNo: number;
}

const pageNotFound = () => new ApiError(404, 'not_found', 'Not found');

/** parsePage's answer as an API error: 422 with the first bad field, 413 over the bounds. */
function validPage(raw: unknown, pageId?: string): Page {
  const parsed = parsePage(raw);
  if (!parsed.ok) {
    const status = parsed.error.code === 'document_too_large' ? 413 : 422;
    const code =
      parsed.error.code === 'document_too_large' ? 'document_too_large' : 'invalid_document';
    throw new ApiError(status, code, parsed.error.message, parsed.error.path ?? []);
  }
  if (pageId !== undefined && parsed.value.id !== pageId) {
    throw new ApiError(422, 'invalid_document', `id: must be ${pageId}, the page in the URL`, [
      'id',
    ]);
  }
  return parsed.value;
}

/**
 * Pages of a visible album. Writes need 'page.edit' (checked by the route guard) on an album
 * that is not archived. Client ids are scoped to the calling user on the server, so one
 * user's client can never collide with, or replay, another's mutation numbers.
 */
export function createPageService(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;
  return {
    async list(auth: AuthContext, albumId: string): Promise<StoredPage[]> {
      await visibleAlbum(db, auth, albumId);
      return listPages(db, albumId);
    },

    async get(auth: AuthContext, albumId: string, pageId: string): Promise<StoredPage> {
      // Both reads at once (one round trip of latency); the page is returned only if the
      // album is visible, so a hidden album still answers 404 whatever its pages hold.
      const [, page] = await Promise.all([
        visibleAlbum(db, auth, albumId),
        getPage(db, albumId, pageId),
      ]);
      if (page === null) throw pageNotFound();
      return page;
    },

    async create(auth: AuthContext, albumId: string, raw: unknown): Promise<StoredPage> {
      requireWritable(await visibleAlbum(db, auth, albumId), now());
      const created = await createPage(db, albumId, validPage(raw), auth.userId);
      if (created === null) {
        throw new ApiError(
          409,
          'page_exists',
          'The album already has (or had) a page with this id',
        );
      }
      return created;
    },

    async put(
      auth: AuthContext,
      albumId: string,
      pageId: string,
      raw: unknown,
      push: PushIdentity,
    ): Promise<{ version: number; replayed: boolean }> {
      requireWritable(await visibleAlbum(db, auth, albumId), now());
      const outcome = await putPage(db, {
        albumId,
        pageId,
        ifMatch: push.ifMatch,
        document: validPage(raw, pageId),
        clientId: `${auth.userId}:${push.clientId}`,
        mutationNo: push.mutationNo,
        userId: auth.userId,
      });
      switch (outcome.kind) {
        case 'stored':
          return { version: outcome.version, replayed: false };
        case 'replayed':
          return { version: outcome.version, replayed: true };
        case 'stale':
          throw new ApiError(
            412,
            'version_conflict',
            `The page is at version ${outcome.current.version}; merge with the current copy and push again`,
            undefined,
            { document: outcome.current.document, version: outcome.current.version },
          );
        case 'not_found':
          throw pageNotFound();
        case 'mutation_reused':
          throw new ApiError(
            409,
            'mutation_reused',
            'This client already used this mutation number for another page',
          );
      }
    },

    async remove(auth: AuthContext, albumId: string, pageId: string): Promise<void> {
      requireWritable(await visibleAlbum(db, auth, albumId), now());
      if (!(await deletePage(db, albumId, pageId))) throw pageNotFound();
    },

    async reorder(
      auth: AuthContext,
      albumId: string,
      order: readonly string[],
    ): Promise<StoredPage[]> {
      requireWritable(await visibleAlbum(db, auth, albumId), now());
      const outcome = await reorderPages(db, albumId, order, auth.userId);
      if (outcome.kind === 'order_mismatch') {
        throw new ApiError(
          422,
          'order_mismatch',
          'order must list every page of the album exactly once',
          ['order'],
        );
      }
      return outcome.pages;
    },
  };
}
export type PageService = ReturnType<typeof createPageService>;
