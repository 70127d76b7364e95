import type { ProcessPendingResult } from './processPendingPhotos.js';

/**
 * How processing gives way to uploads on this instance: it starts once no upload request (start,
 * part, complete) came for `quietMs`, but never leaves a completed photo waiting longer than
 * `maxDeferMs` for that. Processing reads every original back from the store and decodes it;
 * while a client is still sending a batch, those reads and that CPU would slow its uploads, and
 * nobody looks at a photo before its batch is up (DESIGN.md, Photo upload).
 */
export interface UploadYield {
  readonly quietMs: number;
  readonly maxDeferMs: number;
}

export const DEFAULT_UPLOAD_YIELD: UploadYield = { quietMs: 1000, maxDeferMs: 30_000 };

/**
 * Milliseconds processing still waits at `at`: until `quietMs` after the last upload request,
 * but no later than `maxDeferMs` after the backlog began; 0 to go now.
 */
export function processingDelayMs(
  at: number,
  lastUploadAt: number,
  backlogSince: number,
  yieldTo: UploadYield,
): number {
  const quietAt = lastUploadAt + yieldTo.quietMs;
  const deadline = backlogSince + yieldTo.maxDeferMs;
  return Math.max(0, Math.min(quietAt, deadline) - at);
}

/**
 * Runs the processing step (verify, decode, derivatives) outside the request that completed the
 * upload, so a client's next transfer never waits for it, and gives way to uploads in flight
 * (UploadYield). Kicked after each completion and polled as a backstop (another instance's
 * completions, a lease that ran out). `processNext` claims and processes one photo at a time
 * (SKIP LOCKED with a lease, so any number of instances may run one), so that uploads arriving
 * mid-backlog pause it between photos.
 */
export function createPhotoProcessor(deps: {
  processNext: () => Promise<ProcessPendingResult>;
  log: (message: string, error?: unknown) => void;
  pollMs?: number;
  uploadYield?: UploadYield;
  /** Monotonic milliseconds (the server's `now` may be a test's frozen clock). */
  clockMs?: () => number;
  /** How processing waits `ms` for uploads; aborted by stop. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}) {
  const yieldTo = deps.uploadYield ?? DEFAULT_UPLOAD_YIELD;
  const clockMs = deps.clockMs ?? (() => performance.now());
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastUploadAt = -Infinity;
  /** When the photos waiting now began to wait (the first kick since the last empty look). */
  let backlogSince: number | null = null;
  let stopping = new AbortController();
  const sleep = deps.sleep ?? sleepFor;

  async function yieldToUploads(): Promise<void> {
    for (;;) {
      const at = clockMs();
      const ms = processingDelayMs(at, lastUploadAt, backlogSince ?? at, yieldTo);
      if (ms <= 0 || stopped) return;
      await sleep(ms, stopping.signal);
    }
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        await yieldToUploads();
        if (stopped) return;
        const result = await deps.processNext();
        if (result.ready + result.failed + result.deferred === 0) break;
      }
    } while (again && !stopped);
    backlogSince = null;
  }

  function kick(): void {
    if (stopped) return;
    backlogSince ??= clockMs();
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

  /** An upload request came in (start, part, complete): processing waits for quiet. */
  function uploadActivity(): void {
    lastUploadAt = clockMs();
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
    uploadActivity,
    start(): void {
      stopped = false;
      stopping = new AbortController();
      kick();
      poll();
    },
    /** Stops polling and waits for the photo being processed now. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      stopping.abort();
      await running;
    },
  };
}
export type PhotoProcessor = ReturnType<typeof createPhotoProcessor>;

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
