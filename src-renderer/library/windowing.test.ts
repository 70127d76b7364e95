import { describe, expect, it } from 'vitest';
import { columnsFor, visibleRows } from './windowing.js';

describe('visibleRows', () => {
  const base = { viewportHeight: 300, rowHeight: 100, rowCount: 1000, overscan: 1 };

  it('renders the rows in view and the overscan, not the whole grid', () => {
    expect(visibleRows({ ...base, scrollTop: 0 })).toEqual({ first: 0, last: 3 });
    expect(visibleRows({ ...base, scrollTop: 5000 })).toEqual({ first: 49, last: 53 });
    expect(visibleRows({ ...base, scrollTop: 5050 })).toEqual({ first: 49, last: 54 });
  });

  it('stops at the last row and handles an empty grid', () => {
    expect(visibleRows({ ...base, scrollTop: 99_900 })).toEqual({ first: 998, last: 999 });
    expect(visibleRows({ ...base, rowCount: 0, scrollTop: 0 })).toEqual({ first: 0, last: -1 });
    expect(visibleRows({ ...base, rowCount: 2, scrollTop: 0 })).toEqual({ first: 0, last: 1 });
  });
});

describe('columnsFor', () => {
  it('fits tiles and gaps, at least one column', () => {
    expect(columnsFor(292, 92, 8)).toBe(3);
    expect(columnsFor(291, 92, 8)).toBe(2);
    expect(columnsFor(40, 92, 8)).toBe(1);
  });
});
