import { randomUUID } from 'node:crypto';
import { DesktopError } from '../../../../src-shared/desktop/api.js';
import { blankPage } from '../../../../src-shared/model/blankPage.js';
import { pageNotFound, valueOf } from '../desktopErrors.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

export const newPageId = (): string => `page-${randomUUID()}`;

export function pageHandlers(ctx: CoreContext): NamespaceHandlers<'pages'> {
  const { store, events } = ctx;

  /**
   * Pages added, deleted or moved outside the editor (the page strip): every open view of the
   * album (the editor among them) reloads them, then they go to the server.
   */
  function pagesChanged(albumId: string, pageIds: string[]): void {
    events.emit('pages.changed', { albumId, pageIds });
    ctx.syncSoon();
  }

  return {
    async 'pages.list'({ albumId }) {
      return ctx.livePages(albumId);
    },
    async 'pages.save'({ albumId, page }) {
      ctx.requireAlbum(albumId);
      const stored = valueOf(store.pages.get(albumId, page.id));
      // An edit saved late must not undo the strip: pages are made by pages.add, a deleted one
      // (here or by sync) stays deleted, and a page's place belongs to add, delete and reorder,
      // not to the editor's copy of it.
      if (stored === null || stored.deleted) throw pageNotFound();
      store.pages.saveLocal(albumId, { ...page, albumId, index: stored.local.index });
      ctx.syncSoon();
      return null;
    },
    async 'pages.add'({ albumId, afterPageId }) {
      const pages = ctx.livePages(albumId);
      const after = afterPageId === null ? -1 : pages.findIndex((p) => p.id === afterPageId);
      const page = blankPage(albumId, newPageId(), after + 1);
      store.transaction(() => {
        for (const p of pages.slice(after + 1))
          store.pages.saveLocal(albumId, { ...p, index: p.index + 1 });
        store.pages.saveLocal(albumId, page);
      });
      pagesChanged(albumId, [page.id, ...pages.slice(after + 1).map((p) => p.id)]);
      return page;
    },
    async 'pages.delete'({ albumId, pageId }) {
      store.pages.deleteLocal(albumId, pageId);
      pagesChanged(albumId, [pageId]);
      return null;
    },
    async 'pages.reorder'({ albumId, pageIds }) {
      const pages = new Map(ctx.livePages(albumId).map((p) => [p.id, p]));
      if (pageIds.length !== pages.size || pageIds.some((id) => !pages.has(id))) {
        throw new DesktopError(
          'invalid_arguments',
          'pageIds must list every page of the album once',
        );
      }
      const moved = pageIds.filter((id, index) => pages.get(id)!.index !== index);
      store.transaction(() =>
        moved.forEach((id) => {
          store.pages.saveLocal(albumId, { ...pages.get(id)!, index: pageIds.indexOf(id) });
        }),
      );
      pagesChanged(albumId, moved);
      return null;
    },
  };
}
