/**
 * The upload queue (DESIGN.md "Photo import and upload"): each queued photo goes through
 * persisted steps, check (dedup) -> request (start or resume on the server) -> put, or parts ->
 * complete, so a process killed at any moment continues where it stopped and the server never
 * gets a photo twice (it answers a known hash with the existing photo).
 *
 * Bounded concurrency; network errors, 5xx and 429 retry with exponential backoff and jitter;
 * 401 retries (the session refreshes its token, or the user signs in again); any other 4xx fails
 * the photo with the server's reason and the batch goes on. Pause aborts transfers in flight
 * and is kept in the settings across restarts.
 *
 * Composed of: the API calls (uploadCalls), one photo's steps (photoUploadSteps), uploads
 * started ahead in batch calls (uploadsStartedAhead), the readiness watcher for uploaded photos
 * (readinessWatcher) and the scheduler (uploadScheduler).
 */
import type { UploadProgress } from '../../../src-shared/desktop/contract.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { EventHub } from '../events/eventHub.js';
import type { LocalStore } from '../store/localStore.js';
import type { BlobTransfer } from './blobTransfer.js';
import { createPhotoUploadSteps } from './photoUploadSteps.js';
import { createReadinessWatcher } from './readinessWatcher.js';
import { createUploadCalls } from './uploadCalls.js';
import type { UploadLogEvent } from './uploadLogEvent.js';
import { createUploadBatches } from './uploadProgress.js';
import type { RetrySettings } from './uploadRetry.js';
import { createUploadScheduler, createWakeSignal, type InflightUpload } from './uploadScheduler.js';
import { createUploadsStartedAhead } from './uploadsStartedAhead.js';

export type { UploadLogEvent } from './uploadLogEvent.js';
export { retryDelayMs } from './uploadRetry.js';

export const DEFAULT_UPLOAD_CONCURRENCY = 4;

export interface UploadQueueOptions {
  readonly store: LocalStore;
  readonly cloud: Pick<CloudSession, 'call'>;
  readonly transfer: BlobTransfer;
  readonly events?: EventHub;
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Backoff: `baseMs * 2^attempts`, at most `maxMs`, half of it random (jitter). */
  readonly retry?: RetrySettings;
  readonly progressIntervalMs?: number;
  /** How often the queue looks for photos queued by others (import) without a `kick`. */
  readonly pollMs?: number;
  /** How often an uploaded photo's status is asked for while files are still being sent. */
  readonly statusWhileSendingMs?: number;
  readonly log?: (event: UploadLogEvent) => void;
}

export function createUploadQueue(options: UploadQueueOptions) {
  const { store, transfer } = options;
  const concurrency = options.concurrency ?? DEFAULT_UPLOAD_CONCURRENCY;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const calls = createUploadCalls(options.cloud);
  const inflight = new Map<string, InflightUpload>();
  /** Status asks and batch starts in flight: stop waits for them (the store closes next). */
  const background = new Set<Promise<unknown>>();
  const wakeSignal = createWakeSignal();

  const batches = createUploadBatches({
    emit: (p: UploadProgress) => options.events?.emit('uploads.progress', p),
    intervalMs: options.progressIntervalMs ?? 100,
    now: () => performance.now(),
    paused: () => scheduler.isPaused(),
  });
  const readiness = createReadinessWatcher({
    store,
    calls,
    batches,
    now,
    random,
    retry: options.retry,
    busyAskMs: options.statusWhileSendingMs ?? 5000,
    // Completions count too: a burst of asks as the last transfer ends would delay the last
    // completions, which end the batch.
    sending: () => inflight.size > 0,
    wake: () => wakeSignal.wake(),
    background,
  });
  const startedAhead = createUploadsStartedAhead({ store, calls, concurrency, now, inflight });
  const steps = createPhotoUploadSteps({
    store,
    calls,
    transfer,
    batches,
    readiness,
    startedAhead,
    now,
    random,
    retry: options.retry,
    log,
  });
  const scheduler = createUploadScheduler({
    store,
    steps,
    startedAhead,
    readiness,
    batches,
    concurrency,
    now,
    pollMs: options.pollMs ?? 1000,
    log,
    inflight,
    background,
    wakeSignal,
  });

  return {
    // start, stop, kick, pause, resume, isPaused, whenIdle
    ...scheduler,
    /** Failed (or any) photos back into the queue, from the check. */
    retry(photoIds: readonly string[]): void {
      for (const id of photoIds) {
        startedAhead.forget(id);
        store.uploadQueue.requeue(id);
      }
      scheduler.kick();
    },
    status: (): UploadProgress[] => batches.current(),
  };
}
export type UploadQueue = ReturnType<typeof createUploadQueue>;
