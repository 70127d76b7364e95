import type { ImportProgress } from '../../src-shared/desktop/contract.js';

type Counts = Pick<ImportProgress, 'total' | 'done' | 'skippedDuplicates' | 'failed'>;

/** Whether an `import.progress` event is its batch's last: every file imported, skipped or failed. */
export const importFinished = (p: Counts): boolean =>
  p.done + p.skippedDuplicates + p.failed >= p.total;

/**
 * Which `import.progress` events (several a second during an import) are worth listing the
 * album's photos again for: a batch's last, and one each time `every` more photos of it have
 * been imported, so a long import fills the library as it goes.
 */
export function importRefresh(every: number): (p: ImportProgress) => boolean {
  const readAt = new Map<string, number>();
  return (p) => {
    if (importFinished(p)) {
      readAt.delete(p.batchId);
      return true;
    }
    if (p.done - (readAt.get(p.batchId) ?? 0) < every) return false;
    readAt.set(p.batchId, p.done);
    return true;
  };
}
