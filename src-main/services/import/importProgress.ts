/**
 * Counts of one import batch and the `import.progress` events made from them. `done` counts
 * imported (recorded) files; done + skippedDuplicates + failed reaches total at the end.
 */
import type { ImportProgress } from '../../../src-shared/desktop/contract.js';
import type { ImportFailure } from './importTypes.js';

export interface ProgressTracker {
  imported(byteSize: number): void;
  duplicate(byteSize: number): void;
  failed(failure: ImportFailure, byteSize: number): void;
  /** Emits now when forced, else at most once per interval. */
  report(force?: boolean): void;
  snapshot(): ImportProgress;
}

export interface ProgressTrackerOptions {
  readonly batchId: string;
  readonly albumId: string;
  readonly total: number;
  readonly bytesTotal: number;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export function createProgressTracker(options: ProgressTrackerOptions): ProgressTracker {
  const { now, intervalMs } = options;
  const started = now();
  let lastReport = Number.NEGATIVE_INFINITY;
  let done = 0;
  let skippedDuplicates = 0;
  let bytesDone = 0;
  const failures: { path: string; reason: string }[] = [];

  const etaSeconds = (): number | null => {
    const remaining = options.bytesTotal - bytesDone;
    if (remaining <= 0) return 0;
    const elapsed = (now() - started) / 1000;
    if (bytesDone === 0 || elapsed <= 0) return null;
    return Math.round((remaining / bytesDone) * elapsed * 10) / 10;
  };

  const snapshot = (): ImportProgress => ({
    batchId: options.batchId,
    albumId: options.albumId,
    total: options.total,
    done,
    skippedDuplicates,
    failed: failures.length,
    bytesDone,
    etaSeconds: etaSeconds(),
    failures: failures.slice(),
  });

  return {
    imported(byteSize) {
      done++;
      bytesDone += byteSize;
    },
    duplicate(byteSize) {
      skippedDuplicates++;
      bytesDone += byteSize;
    },
    failed(failure, byteSize) {
      failures.push({ path: failure.path, reason: failure.reason });
      bytesDone += byteSize;
    },
    report(force = false) {
      const at = now();
      if (!force && at - lastReport < intervalMs) return;
      lastReport = at;
      options.onProgress?.(snapshot());
    },
    snapshot,
  };
}
