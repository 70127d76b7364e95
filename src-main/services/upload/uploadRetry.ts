/**
 * What a failed upload attempt leads to: network errors, 5xx and 429 (and an expired storage
 * URL) retry with exponential backoff and jitter, 401 waits for the session, any other 4xx and
 * every local failure fail the photo with a stable reason.
 */
import { CloudError } from '../cloud/cloudError.js';
import { TransferError } from './blobTransfer.js';
import { PermanentFailure } from './localUploadFile.js';

/** Backoff: `baseMs * 2^attempts`, at most `maxMs`, half of it random (jitter). */
export interface RetrySettings {
  readonly baseMs?: number;
  readonly maxMs?: number;
}

/** Delay before retry number `attempts + 1`: exponential, capped, with equal jitter. */
export function retryDelayMs(
  attempts: number,
  random: () => number,
  retry: RetrySettings = {},
): number {
  const base = retry.baseMs ?? 1000;
  const max = retry.maxMs ?? 5 * 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type AttemptOutcome =
  /** The photo fails with `reason` (retrying cannot fix it). */
  | { readonly fail: string }
  /** The photo is tried again at `retryAt`; `error` is kept in its queue row. */
  | { readonly retryAt: number; readonly error: string };

/**
 * The outcome of a failed attempt, the photo's `attempts` before it: the later of the backoff
 * and the server's `Retry-After`.
 */
export function outcomeOfFailure(
  error: unknown,
  attempts: number,
  at: { readonly nowMs: number; readonly random: () => number; readonly retry?: RetrySettings },
): AttemptOutcome {
  if (error instanceof PermanentFailure) return { fail: error.reason };
  if (error instanceof CloudError || error instanceof TransferError) {
    // 401 is not the photo's fault: the session has refreshed already (or the user must sign
    // in again); the photo waits.
    if (!error.transient && error.status !== 401) return { fail: error.code };
  }
  const hinted =
    error instanceof CloudError && error.retryAfterSeconds !== undefined
      ? error.retryAfterSeconds * 1000
      : 0;
  const retryAt = at.nowMs + Math.max(hinted, retryDelayMs(attempts, at.random, at.retry));
  const code = (error as { code?: unknown }).code;
  return {
    retryAt,
    error: `${typeof code === 'string' ? code : 'error'}: ${(error as Error).message}`,
  };
}
