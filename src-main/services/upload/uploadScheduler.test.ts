import { describe, expect, it } from 'vitest';
import { freeSlots, nextLookInMs } from './uploadScheduler.js';

describe('freeSlots', () => {
  it('counts transfers and completions in slots of their own', () => {
    const t = { completing: false };
    const c = { completing: true };
    expect(freeSlots([], 4)).toEqual({ transfers: 4, completions: 4 });
    expect(freeSlots([t, t, t, c], 4)).toEqual({ transfers: 1, completions: 3 });
    expect(freeSlots([t, t, c, c, c, c], 4)).toEqual({ transfers: 2, completions: 0 });
    expect(freeSlots([t, t, t, t, t], 4)).toEqual({ transfers: -1, completions: 4 });
  });
});

describe('nextLookInMs', () => {
  it('sleeps until the earliest retry or status ask, at most the poll interval', () => {
    const look = (queuedDueAt: number | null, askAt: number | null) =>
      nextLookInMs({ queuedDueAt, askDueAt: askAt, nowMs: 10_000, pollMs: 1000 });
    expect([
      look(null, null),
      look(10_300, null),
      look(15_000, null),
      look(9_000, null), // due, but waiting for a slot: a finishing item wakes the loop
      look(null, 10_200),
      look(10_700, 10_200),
      look(10_100, 10_200),
      look(null, 9_000), // a status ask is due now
      look(12_000, 9_500),
      look(9_000, 9_000),
      look(10_000, null),
    ]).toEqual([1000, 300, 1000, 1000, 200, 200, 100, 1, 1, 1000, 1000]);
  });
});
