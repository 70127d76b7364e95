import { describe, expect, it } from 'vitest';
import { DESKTOP_EVENTS } from '../../src-shared/desktop/contract.js';
import { importFinished, importRefresh } from './importRefresh.js';

/** An `import.progress` payload as the contract has it. */
const tick = (batchId: string, total: number, done: number, skipped = 0, failed = 0) =>
  DESKTOP_EVENTS['import.progress'].parse({
    batchId,
    albumId: 'album-1',
    total,
    done,
    skippedDuplicates: skipped,
    failed,
    bytesDone: 0,
    etaSeconds: null,
    failures: [],
  });

describe('importFinished', () => {
  // [total, done, skipped, failed, finished]
  const table: [number, number, number, number, boolean][] = [
    [3, 0, 0, 0, false],
    [3, 2, 0, 0, false],
    [3, 3, 0, 0, true],
    [3, 1, 1, 1, true],
    [3, 0, 3, 0, true],
    [3, 1, 0, 1, false],
    [0, 0, 0, 0, true],
  ];
  it.each(table)('%d files, %d imported, %d skipped, %d failed: %s', (...row) => {
    const [total, done, skipped, failed, finished] = row;
    expect(importFinished(tick('b', total, done, skipped, failed))).toBe(finished);
  });
});

describe('importRefresh', () => {
  it('reads at each 50 more photos of a batch and at its end, not per tick', () => {
    const shouldRead = importRefresh(50);
    const events = [
      tick('a', 120, 0),
      tick('a', 120, 10),
      tick('a', 120, 49),
      tick('a', 120, 50),
      tick('a', 120, 60),
      tick('a', 120, 99),
      tick('a', 120, 101),
      tick('a', 120, 110),
      tick('a', 120, 117, 2, 1),
    ];
    expect(events.map(shouldRead)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
  });

  it('counts each batch on its own', () => {
    const shouldRead = importRefresh(50);
    expect(
      [
        tick('a', 200, 40),
        tick('b', 200, 30),
        tick('a', 200, 55),
        tick('b', 200, 45),
        tick('b', 200, 80),
        tick('b', 200, 90),
        tick('c', 2, 2),
      ].map(shouldRead),
    ).toEqual([false, false, true, false, true, false, true]);
  });
});
