/**
 * Imports the files and folders a user chose into an album: hash, EXIF, thumbnail (in worker
 * threads), then record in the sink; a photo counts as imported only once recorded. Bad files
 * become failures with a reason and the batch goes on. Nothing is copied: the album keeps the
 * user's path, and the thumbnail goes to `thumbnailsDir` under its hash.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportProgress } from '../../../src-shared/desktop/contract.js';
import { expandPaths, type CandidateFile } from './expandPaths.js';
import { createProgressTracker } from './importProgress.js';
import type { ImportFailure, ImportSink, ImportSummary, ImportedPhoto } from './importTypes.js';
import type { ImportWorkerPool } from './importWorkerPool.js';

export interface ImportPhotosOptions {
  readonly albumId: string;
  /** Files and folders as the user chose them (folders are walked recursively). */
  readonly paths: readonly string[];
  readonly sink: ImportSink;
  readonly thumbnailsDir: string;
  /** Long-lived: the app creates one pool and passes it to every import. */
  readonly workers: ImportWorkerPool;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Stops taking new files; files already being processed finish and are recorded. */
  readonly signal?: AbortSignal;
  /** The desktop API answers `photos.import` with the batch id before the work starts. */
  readonly batchId?: string;
  /** Minimum time between progress events (the first and last are always sent). */
  readonly progressIntervalMs?: number;
  readonly now?: () => number;
}

export async function importPhotos(options: ImportPhotosOptions): Promise<ImportSummary> {
  const { albumId, sink, workers, signal } = options;
  const batchId = options.batchId ?? randomUUID();
  await mkdir(options.thumbnailsDir, { recursive: true });

  let candidates: readonly CandidateFile[] = [];
  let expansionFailures: readonly ImportFailure[] = [];
  let expansionCancelled = false;
  try {
    ({ files: candidates, failures: expansionFailures } = await expandPaths(options.paths, signal));
  } catch (error) {
    if (!signal?.aborted) throw error;
    expansionCancelled = true;
  }
  const progress = createProgressTracker({
    batchId,
    albumId,
    total: candidates.length + expansionFailures.length,
    bytesTotal: candidates.reduce((sum, file) => sum + file.byteSize, 0),
    intervalMs: options.progressIntervalMs ?? 100,
    now: options.now ?? (() => performance.now()),
    onProgress: options.onProgress,
  });
  const imported: ImportedPhoto[] = [];
  const failures: ImportFailure[] = [];
  let skippedDuplicates = 0;

  const fail = async (failure: ImportFailure, byteSize: number) => {
    await sink.recordFailure?.(albumId, failure);
    failures.push(failure);
    progress.failed(failure, byteSize);
  };
  for (const failure of expansionFailures) await fail(failure, 0);
  progress.report(true);

  // Hashes in the album, plus those claimed by this batch: the first file with a hash wins.
  const claimed = new Set(await sink.knownHashes(albumId));
  const decide = (sha256: string) => {
    if (claimed.has(sha256)) return false;
    claimed.add(sha256);
    return true;
  };

  let next = 0;
  let sinkError: { error: unknown } | null = null;
  const runOne = async (file: CandidateFile) => {
    const outcome = await workers.process(
      { path: file.path, thumbnailsDir: options.thumbnailsDir },
      decide,
    );
    if (outcome.kind === 'processed') {
      const photo: ImportedPhoto = {
        ...outcome.file,
        filePath: file.path,
        fileName: basename(file.path),
      };
      await sink.record(albumId, photo); // durable before it counts
      imported.push(photo);
      progress.imported(photo.byteSize);
    } else if (outcome.kind === 'duplicate') {
      skippedDuplicates++;
      progress.duplicate(outcome.byteSize);
    } else {
      const { kind: _kind, ...failure } = outcome;
      await fail({ path: file.path, ...failure }, file.byteSize);
    }
    progress.report();
  };
  const runner = async () => {
    while (!signal?.aborted && !sinkError && next < candidates.length) {
      try {
        await runOne(candidates[next++]!);
      } catch (error) {
        sinkError ??= { error }; // the store cannot write: stop, nothing more would be kept
      }
    }
  };
  // Two files per worker in flight: one is queued while the other's record is being committed,
  // so no worker waits for SQLite.
  await Promise.all(Array.from({ length: Math.max(1, workers.size) * 2 }, runner));
  progress.report(true);
  if (sinkError) throw (sinkError as { error: unknown }).error;

  return {
    batchId,
    albumId,
    total: progress.snapshot().total,
    imported,
    skippedDuplicates,
    failures,
    cancelled: expansionCancelled || (Boolean(signal?.aborted) && next < candidates.length),
  };
}
