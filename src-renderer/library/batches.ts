import type { PhotoSummary } from '../../src-shared/desktop/contract.js';

export interface ImportBatch {
  readonly id: string;
  /** 1 for the album's first import. */
  readonly number: number;
  readonly importedAt: string;
  readonly count: number;
}

/** The album's import batches in the order they happened, for the library's batch filter. */
export function importBatches(
  photos: readonly Pick<PhotoSummary, 'importBatchId' | 'importedAt'>[],
): ImportBatch[] {
  const byId = new Map<string, { importedAt: string; count: number }>();
  for (const photo of photos) {
    if (photo.importBatchId === null) continue;
    const seen = byId.get(photo.importBatchId);
    if (seen) {
      seen.count++;
      if (photo.importedAt < seen.importedAt) seen.importedAt = photo.importedAt;
    } else {
      byId.set(photo.importBatchId, { importedAt: photo.importedAt, count: 1 });
    }
  }
  return [...byId.entries()]
    .sort(([, a], [, b]) => a.importedAt.localeCompare(b.importedAt))
    .map(([id, b], i) => ({ id, number: i + 1, importedAt: b.importedAt, count: b.count }));
}
