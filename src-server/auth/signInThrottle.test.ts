import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  EMPTY_THROTTLE,
  lockSecondsLeft,
  MAX_FAILURES_PER_WINDOW,
  type ThrottleState,
} from './signInThrottle.js';

const t0 = new Date('2026-04-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

/** Fails `n` times, each right when the previous lock ends. */
function failRepeatedly(n: number): { state: ThrottleState; locks: number[]; elapsed: number } {
  let state = EMPTY_THROTTLE;
  let elapsed = 0;
  const locks: number[] = [];
  for (let i = 0; i < n; i++) {
    state = afterFailure(state, at(elapsed));
    const lock = lockSecondsLeft(state, at(elapsed));
    locks.push(lock);
    elapsed += lock * 1000;
  }
  return { state, locks, elapsed };
}

describe('sign-in throttle', () => {
  it('lets 4 failures pass, then locks 1 s, 2 s, 4 s ... up to 15 minutes', () => {
    const { locks } = failRepeatedly(18);
    expect(locks).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
  });

  it('is not locked once the lock time has passed', () => {
    const state = afterFailure({ ...EMPTY_THROTTLE, consecutiveFailures: 4 }, t0);
    expect(lockSecondsLeft(state, at(999))).toBe(1);
    expect(lockSecondsLeft(state, at(1000))).toBe(0);
  });

  it('caps failures at 100 per hour window even if the growing lock allowed more', () => {
    // Pretend consecutive failures were reset (e.g. loosened rules): only the window counts.
    let state: ThrottleState = EMPTY_THROTTLE;
    for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) {
      state = afterFailure({ ...state, consecutiveFailures: 0 }, at(i * 1000));
    }
    expect(state.windowFailures).toBe(100);
    expect(state.lockedUntil).toEqual(at(60 * 60 * 1000));
    // A new window starts after the hour.
    const later = afterFailure({ ...state, consecutiveFailures: 0 }, at(60 * 60 * 1000 + 1));
    expect(later.windowFailures).toBe(1);
    expect(later.lockedUntil).toBeNull();
  });

  it('keeps an attacker far below the hourly cap', () => {
    const { locks } = failRepeatedly(40);
    let elapsed = 0;
    let inFirstHour = 0;
    for (const lock of locks) {
      if (elapsed < 3_600) inFirstHour++;
      elapsed += lock;
    }
    expect(inFirstHour).toBeLessThan(20);
  });
});
