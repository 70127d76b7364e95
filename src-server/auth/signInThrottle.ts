/**
 * Sign-in throttling per attempted login id (P14), as pure functions of the stored state and
 * the time, so the rules are tested without a database and every instance applies the same.
 *
 * - After 5 consecutive failures the login id is locked: the n-th failure (n >= 5) locks it
 *   for 2^(n-5) seconds (1 s, 2 s, 4 s, ...), at most 15 minutes.
 * - Hard cap: at most 100 failures in an hour-long window opened by the first failure; the 100th
 *   locks until the window closes. (The growing lock alone already keeps an attacker far below
 *   that; the cap holds even if the lock rules are loosened.)
 * - A successful sign-in clears the state.
 */
export const FREE_FAILURES = 5;
export const MAX_LOCK_SECONDS = 15 * 60;
export const WINDOW_MS = 60 * 60 * 1000;
export const MAX_FAILURES_PER_WINDOW = 100;

export interface ThrottleState {
  readonly consecutiveFailures: number;
  readonly lastFailedAt: Date | null;
  readonly lockedUntil: Date | null;
  readonly windowStartedAt: Date | null;
  readonly windowFailures: number;
}

export const EMPTY_THROTTLE: ThrottleState = {
  consecutiveFailures: 0,
  lastFailedAt: null,
  lockedUntil: null,
  windowStartedAt: null,
  windowFailures: 0,
};

/** Whole seconds until the lock ends (for Retry-After), or 0 when not locked. */
export function lockSecondsLeft(state: ThrottleState, now: Date): number {
  if (state.lockedUntil === null) return 0;
  const ms = state.lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export function afterFailure(state: ThrottleState, now: Date): ThrottleState {
  const consecutiveFailures = state.consecutiveFailures + 1;
  const windowOpen =
    state.windowStartedAt !== null && now.getTime() - state.windowStartedAt.getTime() < WINDOW_MS;
  const windowStartedAt =
    windowOpen && state.windowStartedAt !== null ? state.windowStartedAt : now;
  const windowFailures = windowOpen ? state.windowFailures + 1 : 1;

  let lockMs = 0;
  if (consecutiveFailures >= FREE_FAILURES) {
    // Exponent capped before shifting, so a huge counter cannot overflow.
    const exponent = Math.min(consecutiveFailures - FREE_FAILURES, 20);
    lockMs = Math.min(2 ** exponent, MAX_LOCK_SECONDS) * 1000;
  }
  let lockedUntil = lockMs > 0 ? new Date(now.getTime() + lockMs) : null;
  if (windowFailures >= MAX_FAILURES_PER_WINDOW) {
    const windowEnd = new Date(windowStartedAt.getTime() + WINDOW_MS);
    if (lockedUntil === null || windowEnd > lockedUntil) lockedUntil = windowEnd;
  }
  return { consecutiveFailures, lastFailedAt: now, lockedUntil, windowStartedAt, windowFailures };
}
