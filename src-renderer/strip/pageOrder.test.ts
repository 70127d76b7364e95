import { describe, expect, it } from 'vitest';
import { movePage, sameOrder } from './pageOrder.js';

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
