/**
 * The page order after dragging `moving` onto `target`: dropped on the target's first half it
 * goes before it, else after. Unknown ids or a drop on itself leave the order as it was.
 */
export function movePage(
  order: readonly string[],
  moving: string,
  target: string,
  place: 'before' | 'after',
): string[] {
  if (moving === target || !order.includes(moving) || !order.includes(target)) return [...order];
  const rest = order.filter((id) => id !== moving);
  const at = rest.indexOf(target) + (place === 'after' ? 1 : 0);
  return [...rest.slice(0, at), moving, ...rest.slice(at)];
}

/** Whether two orders differ (nothing to save when a drag ends where it began). */
export const sameOrder = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, i) => b[i] === id);

/**
 * Where a page dropped on another goes: before it on the half that comes first in reading
 * order (left to right with left binding, right to left with right binding), else after.
 * `offsetX` is the pointer's distance from the target's left edge, `width` the target's.
 */
export function dropPlace(
  offsetX: number,
  width: number,
  binding: 'left' | 'right',
): 'before' | 'after' {
  const leftHalf = offsetX < width / 2;
  return leftHalf === (binding === 'left') ? 'before' : 'after';
}
