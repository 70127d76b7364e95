import { randomUUID } from 'node:crypto';
import type { PhotoSummary } from '../../../../src-shared/desktop/contract.js';
import { filterPhotos, placementCounts } from '../../../../src-shared/library/placements.js';
import { importPhotos } from '../../import/importPhotos.js';
import { contentIdOf, type PhotoRecord } from '../../store/photoRepository.js';
import { storeImportSink } from '../storeImportSink.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

export function photoHandlers(ctx: CoreContext): NamespaceHandlers<'photos'> {
  const { store, events, options } = ctx;
  return {
    async 'photos.import'({ albumId, paths }) {
      ctx.requireAlbum(albumId);
      const batchId = randomUUID();
      void importPhotos({
        albumId,
        paths,
        batchId,
        workers: options.workers,
        thumbnailsDir: options.thumbnailsDir,
        onProgress: (progress) => {
          events.emit('import.progress', progress);
          ctx.session.current?.uploads?.kick(); // recorded photos are queued: start sending them
        },
        sink: storeImportSink(store, batchId),
      }).catch((error: unknown) => options.log('import failed', error));
      return { batchId };
    },
    async 'photos.list'({ albumId, state, ...filter }) {
      ctx.requireAlbum(albumId);
      const counts = placementCounts(ctx.livePages(albumId));
      const ids = libraryIds(store.photos.list(albumId));
      const photos = store.photos
        .list(albumId, state === undefined ? {} : { states: [state] })
        .map((p): PhotoSummary => {
          const id = ids.get(p.id) ?? p.id;
          return {
            id,
            albumId: p.albumId,
            fileName: p.fileName,
            width: p.width ?? 0,
            height: p.height ?? 0,
            takenAtLocal: p.exifDate,
            state: p.state,
            failureReason: p.failureReason,
            // A remote photo's thumbnail is fetched when first asked for, if sync has not yet.
            thumbnailUrl:
              p.thumbnailPath !== null || p.origin === 'remote' ? options.thumbnailUrl(p.id) : null,
            importBatchId: p.importBatchId,
            importedAt: p.importedAt,
            placements: counts.get(id) ?? 0,
          };
        });
      return filterPhotos(photos, filter, counts);
    },
  };
}

/**
 * The library's id of each photo: its content id (decision 17), which is what frames hold.
 * A failed row whose bytes another row of the album has keeps its row id, so ids stay unique.
 */
function libraryIds(photos: readonly PhotoRecord[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const ordered = [...photos].sort(
    (a, b) => Number(a.state === 'failed') - Number(b.state === 'failed'),
  );
  for (const p of ordered) {
    const id = contentIdOf(p);
    ids.set(p.id, taken.has(id) ? p.id : id);
    taken.add(ids.get(p.id)!);
  }
  return ids;
}
