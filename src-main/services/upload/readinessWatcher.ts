/**
 * How the queue learns that photos it uploaded are ready: the server verifies and processes
 * each one after completion. Their status is asked for with backoff until `ready` or `failed`;
 * the change feed tells the sync engine the same, which sets the photo's state in the store,
 * and whichever comes first counts the photo in its batch.
 */
import { UNKNOWN_REFUSAL } from '../../../src-shared/library/failureReasons.js';
import { CloudError } from '../cloud/cloudError.js';
import type { LocalStore } from '../store/localStore.js';
import type { UploadCalls } from './uploadCalls.js';
import { retryDelayMs, type RetrySettings } from './uploadRetry.js';
import type { UploadBatches } from './uploadProgress.js';

/** A watched photo's next ask: due at `nextAt`, `askedAt` the last one. */
export interface AskTimes {
  readonly nextAt: number;
  readonly askedAt: number;
}

/** The first ask comes this long after completion. */
const FIRST_ASK_MS = 250;

/** Wait after a `processing` answer number `attempts + 1`: doubling from 500 ms to a minute. */
export const processingAskDelayMs = (attempts: number): number =>
  Math.min(60_000, 500 * 2 ** attempts);

/**
 * When a status ask is due: while this queue is still sending files (`busy`), at most every
 * `busyAskMs`, since the server processes photos once uploads have gone quiet and asking sooner
 * only loads the server the transfers wait on.
 */
export const askDueAt = (w: AskTimes, busy: boolean, busyAskMs: number): number =>
  busy ? Math.max(w.nextAt, w.askedAt + busyAskMs) : w.nextAt;

export interface ReadinessWatcherOptions {
  readonly store: LocalStore;
  readonly calls: Pick<UploadCalls, 'photo'>;
  readonly batches: Pick<UploadBatches, 'done' | 'failed'>;
  readonly now: () => Date;
  readonly random: () => number;
  readonly retry?: RetrySettings;
  /** See `askDueAt`. */
  readonly busyAskMs: number;
  /** Whether files are being sent (or completed) now. */
  readonly sending: () => boolean;
  /** An ask ended: the scheduler looks again. */
  readonly wake: () => void;
  /** Asks in flight are added here until they end (stop waits for them). */
  readonly background: Set<Promise<unknown>>;
}

export function createReadinessWatcher(options: ReadinessWatcherOptions) {
  const { store, calls, batches, now, busyAskMs } = options;
  const watched = new Map<
    string,
    {
      albumId: string;
      serverId: string;
      attempts: number;
      nextAt: number;
      asking: boolean;
      askedAt: number;
    }
  >();

  /** A photo the server has but is still verifying (`processing`, or another upload's). */
  function watch(photoId: string, albumId: string, serverId: string): void {
    watched.set(photoId, {
      albumId,
      serverId,
      attempts: 0,
      nextAt: now().getTime() + FIRST_ASK_MS,
      asking: false,
      askedAt: now().getTime(),
    });
  }

  /**
   * Counts a watched photo done (or failed) from the store when someone else learned its state
   * first: the sync engine marks photos ready from the change feed too. True when settled.
   */
  function settledLocally(photoId: string): boolean {
    const local = store.photos.get(photoId);
    if (local?.state === 'ready' || local?.state === 'expired') batches.done(photoId);
    else if (local?.state === 'failed')
      batches.failed(photoId, local.failureReason ?? UNKNOWN_REFUSAL);
    else if (local?.state === 'uploaded') return false;
    watched.delete(photoId); // gone, or queued again: its batch counts it then
    return true;
  }

  return {
    watch,
    /** Every photo the store has as uploaded (a restart): watched again. */
    watchUploaded(): void {
      for (const p of store.photos.inState('uploaded')) {
        if (p.serverPhotoId !== null) watch(p.id, p.albumId, p.serverPhotoId);
      }
    },
    get size(): number {
      return watched.size;
    },
    /** Asks for the status of every watched photo whose ask is due. */
    askDue(): void {
      const at = now().getTime();
      const busy = options.sending();
      for (const [photoId, w] of watched) {
        if (w.asking || askDueAt(w, busy, busyAskMs) > at) continue;
        if (settledLocally(photoId)) continue;
        w.asking = true;
        w.askedAt = at;
        const asking = calls
          .photo(w.albumId, w.serverId)
          .then(
            (body) => {
              if (settledLocally(photoId)) return;
              if (body.status === 'ready') {
                store.photos.setState(photoId, body.status);
                batches.done(photoId);
              } else if (body.status === 'failed') {
                const reason = body.failure?.reason ?? UNKNOWN_REFUSAL;
                store.photos.setState(photoId, 'failed', reason);
                batches.failed(photoId, reason);
              } else {
                return void (w.nextAt = now().getTime() + processingAskDelayMs(w.attempts++));
              }
              watched.delete(photoId);
            },
            (error: unknown) => {
              // Gone on the server (retention, a deletion): the sync engine drops the photo.
              if (error instanceof CloudError && error.status === 404) watched.delete(photoId);
              else
                w.nextAt =
                  now().getTime() + retryDelayMs(w.attempts++, options.random, options.retry);
            },
          )
          .finally(() => {
            w.asking = false;
            options.background.delete(asking);
            options.wake();
          });
        options.background.add(asking);
      }
    },
    /** When the next ask is due (none while every watched photo is being asked about). */
    nextAskAt(): number | null {
      const busy = options.sending();
      let due: number | null = null;
      for (const w of watched.values()) {
        if (!w.asking) due = Math.min(due ?? Infinity, askDueAt(w, busy, busyAskMs));
      }
      return due;
    },
  };
}
export type ReadinessWatcher = ReturnType<typeof createReadinessWatcher>;
