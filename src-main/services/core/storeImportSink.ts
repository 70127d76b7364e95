import type { ImportSink } from '../import/importTypes.js';
import type { LocalStore } from '../store/localStore.js';

/**
 * Where import records photos in the app: the local store, one committed row per photo, queued
 * for upload, under the import batch the library filters by. The album's known hashes make a re-import of the same file a skipped duplicate.
 */
export function storeImportSink(store: LocalStore, importBatchId: string): ImportSink {
  return {
    // Remote photos are not "known": importing their bytes here adopts them (local file).
    knownHashes: (albumId) =>
      new Set(
        store.photos
          .list(albumId)
          .flatMap((p) => (p.sha256 === null || p.origin === 'remote' ? [] : [p.sha256])),
      ),
    record: (albumId, photo) => {
      store.photos.insertImported({
        albumId,
        sha256: photo.sha256,
        filePath: photo.filePath,
        byteSize: photo.byteSize,
        width: photo.width,
        height: photo.height,
        orientation: photo.orientation,
        exifDate: photo.takenAtLocal,
        thumbnailPath: photo.thumbnailPath,
        importBatchId,
      });
    },
  };
}
