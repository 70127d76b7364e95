import { describe, expect, it } from 'vitest';
import { askDueAt, processingAskDelayMs } from './readinessWatcher.js';

describe('status asks', () => {
  it('back off from 500 ms to a minute while the server is processing', () => {
    expect([0, 1, 2, 5, 6, 7, 30].map(processingAskDelayMs)).toEqual([
      500, 1000, 2000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('wait at least busyAskMs after the last ask while files are being sent', () => {
    expect(askDueAt({ nextAt: 1000, askedAt: 0 }, false, 5000)).toBe(1000);
    expect(askDueAt({ nextAt: 1000, askedAt: 0 }, true, 5000)).toBe(5000);
    expect(askDueAt({ nextAt: 9000, askedAt: 0 }, true, 5000)).toBe(9000);
  });
});
