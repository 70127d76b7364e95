import { DesktopError } from '../../../../src-shared/desktop/api.js';
import { checkDestination } from '../../export/exportJobs.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

export function exportHandlers(ctx: CoreContext): NamespaceHandlers<'export'> {
  const { store, exports, remoteFiles, options } = ctx;
  return {
    async 'export.pdf'({ albumId, pageRange, spreads, cropMarks, destinationPath }) {
      const album = ctx.requireAlbum(albumId);
      const pages = ctx.livePages(albumId);
      if (pageRange && (pageRange.from > pageRange.to || pageRange.to > pages.length)) {
        throw new DesktopError(
          'page_range_invalid',
          `The page range must lie within 1-${pages.length} (ページ範囲が正しくありません)`,
        );
      }
      await checkDestination(destinationPath);
      const { exportId } = exports.start({
        albumId,
        album,
        pages,
        photo: (photoId) => {
          const p = store.photos.findByContentId(albumId, photoId);
          if (!p) return null;
          return {
            filePath: p.filePath,
            width: p.width ?? 0,
            height: p.height ?? 0,
            state: p.state,
            // Another computer's photo: its original comes from the server, cached.
            ...(p.origin === 'remote' ? { fetchFile: () => remoteFiles.original(p) } : {}),
          };
        },
        destinationPath,
        pageRange,
        spreads,
        cropMarks,
        fontsDir: options.fontsDir,
      });
      return { exportId };
    },
    async 'export.cancel'({ exportId }) {
      exports.cancel(exportId);
      return null;
    },
  };
}
