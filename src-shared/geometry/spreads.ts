import type { BindingSide } from '../model/album.js';

/** Two facing pages as printed; page numbers are 1-based, null is an empty side. */
export interface Spread {
  readonly left: number | null;
  readonly right: number | null;
}

/**
 * Spreads in reading order. Left binding (左綴じ, horizontal text) opens like a Western book:
 * page 1 stands alone on the right. Right binding (右綴じ, vertical text) reads right to left:
 * page 1 stands alone on the left, and each later spread has its lower page on the right.
 */
export function spreadsFor(pageCount: number, binding: BindingSide): Spread[] {
  if (!Number.isInteger(pageCount) || pageCount < 0) {
    throw new RangeError(`pageCount must be a non-negative integer, got ${pageCount}`);
  }
  if (pageCount === 0) return [];
  const place = (first: number | null, second: number | null): Spread =>
    binding === 'left' ? { left: first, right: second } : { left: second, right: first };
  const spreads: Spread[] = [place(null, 1)];
  for (let first = 2; first <= pageCount; first += 2) {
    spreads.push(place(first, first + 1 <= pageCount ? first + 1 : null));
  }
  return spreads;
}

/** Which side of its spread a page falls on. */
export function pageSide(pageNumber: number, binding: BindingSide): 'left' | 'right' {
  const odd = pageNumber % 2 === 1;
  // Left binding: odd pages on the right (recto). Right binding mirrors it.
  if (binding === 'left') return odd ? 'right' : 'left';
  return odd ? 'left' : 'right';
}
