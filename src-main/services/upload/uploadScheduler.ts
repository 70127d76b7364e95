/**
 * The upload queue's scheduler: one loop that looks at the queue, sends due photos in bounded
 * slots (transfers, and completions in slots of their own), starts uploads ahead, asks for the
 * status of uploaded photos, and sleeps until the next retry is due or something wakes it
 * (a photo finished, kick, resume). Pause aborts the transfers in flight and is kept in the
 * settings across restarts; each photo keeps its persisted step.
 */
import { z } from 'zod';
import type { LocalStore } from '../store/localStore.js';
import type { UploadItem } from '../store/uploadQueueRepository.js';
import type { PhotoUploadSteps } from './photoUploadSteps.js';
import type { ReadinessWatcher } from './readinessWatcher.js';
import type { UploadLogEvent } from './uploadLogEvent.js';
import type { UploadBatches } from './uploadProgress.js';
import type { UploadsStartedAhead } from './uploadsStartedAhead.js';

const PAUSED_SETTING = 'uploads.paused';

/** A photo being sent (or completed) now. */
export interface InflightUpload {
  readonly controller: AbortController;
  readonly done: Promise<void>;
  /** At the complete step: it takes a completion slot, not a transfer slot. */
  readonly completing: boolean;
}

/** Free slots: `concurrency` transfers (check, request, put, parts) and as many completions. */
export function freeSlots(
  inflight: Iterable<Pick<InflightUpload, 'completing'>>,
  concurrency: number,
): { transfers: number; completions: number } {
  let completing = 0;
  let all = 0;
  for (const f of inflight) {
    all++;
    if (f.completing) completing++;
  }
  return { transfers: concurrency - (all - completing), completions: concurrency - completing };
}

/**
 * How long to sleep before the next look: until the earliest retry (`queuedDueAt`, null when
 * none or paused) or status ask (`askDueAt`) is due, polling at `pollMs` for photos queued by
 * import. A due item here is in flight already or waits for a slot (a finishing item wakes the
 * loop), so only a due status ask shortens the sleep to 1 ms.
 */
export function nextLookInMs(due: {
  readonly queuedDueAt: number | null;
  readonly askDueAt: number | null;
  readonly nowMs: number;
  readonly pollMs: number;
}): number {
  const { queuedDueAt, askDueAt, pollMs } = due;
  const next = askDueAt === null ? queuedDueAt : Math.min(queuedDueAt ?? askDueAt, askDueAt);
  const wait = next === null ? pollMs : next - due.nowMs;
  if (wait <= 0 && next !== queuedDueAt) return 1; // a status to ask for is due
  return wait <= 0 ? pollMs : Math.max(1, Math.min(pollMs, wait));
}

/** Wakes the sleeping loop; a wake-up that comes while the loop is busy makes it look again. */
export function createWakeSignal() {
  let pending = false;
  let wakeUp: (() => void) | null = null;
  return {
    wake(): void {
      pending = true;
      const w = wakeUp;
      wakeUp = null;
      w?.();
    },
    /** A look begins: wake-ups from now on count for the next sleep. */
    looking(): void {
      pending = false;
    },
    /** Sleeps `ms()` (not at all when woken since the look began), or until woken. */
    sleep(ms: () => number): Promise<void> {
      const wait = pending ? 0 : ms();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}
export type WakeSignal = ReturnType<typeof createWakeSignal>;

const abortError = () => Object.assign(new Error('upload paused'), { name: 'AbortError' });

export interface UploadSchedulerOptions {
  readonly store: LocalStore;
  readonly steps: PhotoUploadSteps;
  readonly startedAhead: Pick<UploadsStartedAhead, 'startFirstTogether' | 'startMore'>;
  readonly readiness: Pick<ReadinessWatcher, 'askDue' | 'nextAskAt' | 'size' | 'watchUploaded'>;
  readonly batches: UploadBatches;
  readonly concurrency: number;
  readonly now: () => Date;
  /** How often the queue looks for photos queued by others (import) without a `kick`. */
  readonly pollMs: number;
  readonly log: (event: UploadLogEvent) => void;
  /** Shared with the readiness watcher and the uploads started ahead. */
  readonly inflight: Map<string, InflightUpload>;
  readonly background: Set<Promise<unknown>>;
  readonly wakeSignal: WakeSignal;
}

export function createUploadScheduler(options: UploadSchedulerOptions) {
  const { store, steps, startedAhead, readiness, batches, concurrency, log } = options;
  const { inflight, background, wakeSignal, pollMs } = options;
  const queue = store.uploadQueue;

  let paused = store.settings.get(PAUSED_SETTING, z.boolean()) ?? false;
  let heldReported = false;
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let lastRefresh = 0;
  const idleWaiters: (() => void)[] = [];
  const wake = () => wakeSignal.wake();

  /** Every queued photo joins its album's batch, so totals are known before uploads start. */
  const refreshBatches = (force = false) => {
    if (!force && performance.now() - lastRefresh < pollMs) return;
    lastRefresh = performance.now();
    batches.join(queue.pending());
  };

  /** Starts due items while slots are free (completions wait mostly on the server). */
  function dispatch(): void {
    let { transfers, completions } = freeSlots(inflight.values(), concurrency);
    if (transfers <= 0 && completions <= 0) return;
    const due = queue.next({ limit: 4 * concurrency, excluding: new Set(inflight.keys()) });
    for (const item of due) {
      const isCompletion = item.step === 'complete' && item.uploadId !== null;
      if (isCompletion ? completions <= 0 : transfers <= 0) continue;
      if (isCompletion) completions--;
      else transfers--;
      send(item, isCompletion);
    }
  }

  function send(item: UploadItem, completing: boolean): void {
    const controller = new AbortController();
    const done = steps
      .run(item, controller.signal)
      .catch((error: unknown) => log({ kind: 'error', message: String(error) }))
      .finally(() => {
        inflight.delete(item.photoId);
        wake();
      });
    inflight.set(item.photoId, { controller, done, completing });
  }

  function startAheadInBackground(): void {
    const starting = startedAhead
      .startMore()
      .then(
        // Only when something was started: waking for nothing would spin the loop.
        (started) => started > 0 && wake(),
        (error: unknown) => log({ kind: 'error', message: String(error) }),
      )
      .finally(() => background.delete(starting));
    background.add(starting);
  }

  function settleIdle(): void {
    if (inflight.size > 0 || readiness.size > 0 || queue.count() > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  const sleepMs = () =>
    nextLookInMs({
      queuedDueAt: paused ? null : queue.nextDueAt(),
      askDueAt: readiness.nextAskAt(),
      nowMs: options.now().getTime(),
      pollMs,
    });

  async function loop(): Promise<void> {
    while (running) {
      wakeSignal.looking();
      try {
        refreshBatches();
        if (!paused) {
          await steps.checkDue(inflight);
          if (running && !paused) await startedAhead.startFirstTogether();
          if (running && !paused) {
            dispatch();
            startAheadInBackground();
          }
        } else if (!heldReported && queue.count() > 0) {
          heldReported = true;
          log({ kind: 'held', queued: queue.count() });
        }
        readiness.askDue();
        settleIdle();
      } catch (error) {
        log({ kind: 'error', message: String(error) });
      }
      if (!running) break;
      await wakeSignal.sleep(sleepMs);
    }
  }

  async function stopInflight(): Promise<void> {
    for (const { controller } of inflight.values()) controller.abort(abortError());
    await Promise.all([...inflight.values()].map((f) => f.done));
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      readiness.watchUploaded();
      refreshBatches(true);
      loopDone = loop();
    },
    /** Stops taking photos and aborts transfers in flight; each photo keeps its step. */
    async stop(): Promise<void> {
      running = false;
      wake();
      await stopInflight();
      await loopDone;
      await Promise.all([...background]);
      batches.close();
    },
    /** Photos were queued (an import): look now rather than at the next poll. */
    kick(): void {
      lastRefresh = 0;
      wake();
    },
    /** Aborts the transfers in flight; stays paused across restarts until `resume`. */
    async pause(): Promise<void> {
      paused = true;
      heldReported = false;
      store.settings.set(PAUSED_SETTING, true);
      await stopInflight();
      batches.flush();
    },
    resume(): void {
      paused = false;
      store.settings.set(PAUSED_SETTING, false);
      batches.flush();
      wake();
    },
    isPaused: (): boolean => paused,
    /**
     * Resolves when the queue is empty, nothing is in flight and every uploaded photo is ready
     * (or failed); not while paused with photos queued.
     */
    whenIdle(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        wake();
      });
    },
  };
}
export type UploadScheduler = ReturnType<typeof createUploadScheduler>;
