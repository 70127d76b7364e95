import type { BlobStore } from '../blobs/blobStore.js';
import type { Db } from '../db/db.js';
import { processPendingPhotos } from './processPendingPhotos.js';

/**
 * Runs the processing step (verify, decode, derivatives) outside the request that completed the
 * upload, so a client's next transfer never waits for it. Kicked after each completion and
 * polled as a backstop (another instance's completions, a lease that ran out). Rows are claimed
 * with SKIP LOCKED and a lease, so any number of instances may run one.
 */
export function createPhotoProcessor(deps: {
  db: Db;
  blobs: BlobStore;
  now: () => Date;
  log: (message: string, error?: unknown) => void;
  pollMs?: number;
}) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        const result = await processPendingPhotos(deps.db, deps.blobs, deps.now, { limit: 4 });
        if (stopped || result.ready + result.failed + result.deferred === 0) break;
      }
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true; // a completion arrived while draining: look once more
      return;
    }
    running = drain()
      .catch((error: unknown) => deps.log('photo processing failed; it will be retried', error))
      .finally(() => {
        running = null;
      });
  }

  function poll(): void {
    timer = setTimeout(() => {
      kick();
      poll();
    }, deps.pollMs ?? 5_000);
    timer.unref();
  }

  return {
    kick,
    start(): void {
      stopped = false;
      kick();
      poll();
    },
    /** Stops polling and waits for the photos being processed now. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type PhotoProcessor = ReturnType<typeof createPhotoProcessor>;
