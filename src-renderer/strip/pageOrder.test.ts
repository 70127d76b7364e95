import { describe, expect, it } from 'vitest';
import { dropPlace, movePage, sameOrder } from './pageOrder.js';

describe('movePage', () => {
  const order = ['a', 'b', 'c', 'd'];

  it('moves a page before or after the one it is dropped on', () => {
    expect(movePage(order, 'd', 'b', 'before')).toEqual(['a', 'd', 'b', 'c']);
    expect(movePage(order, 'a', 'c', 'after')).toEqual(['b', 'c', 'a', 'd']);
    expect(movePage(order, 'a', 'd', 'after')).toEqual(['b', 'c', 'd', 'a']);
    expect(movePage(order, 'c', 'a', 'before')).toEqual(['c', 'a', 'b', 'd']);
  });

  it('keeps the order for a drop on itself or an unknown page', () => {
    expect(movePage(order, 'b', 'b', 'after')).toEqual(order);
    expect(movePage(order, 'x', 'b', 'after')).toEqual(order);
    expect(movePage(order, 'b', 'x', 'after')).toEqual(order);
  });

  it('tells whether anything moved', () => {
    expect(sameOrder(movePage(order, 'b', 'a', 'after'), order)).toBe(true);
    expect(sameOrder(movePage(order, 'b', 'c', 'after'), order)).toBe(false);
  });
});

describe('dropPlace', () => {
  // [pointer from the left edge, width, binding, place]
  const table: [number, number, 'left' | 'right', 'before' | 'after'][] = [
    [10, 100, 'left', 'before'],
    [49.9, 100, 'left', 'before'],
    [50, 100, 'left', 'after'],
    [90, 100, 'left', 'after'],
    [10, 100, 'right', 'after'],
    [49.9, 100, 'right', 'after'],
    [50, 100, 'right', 'before'],
    [90, 100, 'right', 'before'],
  ];
  it.each(table)('%d of %d with %s binding: %s', (offsetX, width, binding, place) => {
    expect(dropPlace(offsetX, width, binding)).toBe(place);
  });
});
