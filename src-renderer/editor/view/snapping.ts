import type { Rect } from '../../../src-shared/geometry/boxes.js';

/**
 * Lines an element may snap to, in mm: vertical lines at `xs`, horizontal at `ys`, each sorted
 * ascending without repeats, so that a drag looks the nearest one up by bisection.
 */
export interface SnapTargets {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
}

export interface Guide {
  readonly axis: 'x' | 'y';
  /** mm along the other axis: x for a vertical guide, y for a horizontal one. */
  readonly at: number;
}

export interface Snap {
  /** How far to move the rectangle (mm) so that it snaps; 0 on an axis that does not. */
  readonly dx: number;
  readonly dy: number;
  readonly guides: readonly Guide[];
}

const sortedUnique = (values: readonly number[]) =>
  [...new Set(values)].sort((a, b) => a - b) as readonly number[];

/**
 * Page edges, centre and safe lines, and other elements' edges and centres. Made once when a
 * drag or resize starts (the other elements do not move meanwhile).
 */
export function snapTargets(
  page: { readonly widthMm: number; readonly heightMm: number; readonly safeMarginMm: number },
  others: readonly Rect[],
): SnapTargets {
  const { widthMm: w, heightMm: h, safeMarginMm: m } = page;
  const xs = [0, w / 2, w, m, w - m];
  const ys = [0, h / 2, h, m, h - m];
  for (const r of others) {
    xs.push(r.x, r.x + r.width / 2, r.x + r.width);
    ys.push(r.y, r.y + r.height / 2, r.y + r.height);
  }
  return { xs: sortedUnique(xs), ys: sortedUnique(ys) };
}

/** The line of sorted `lines` nearest to `value`, or null when there is none. */
export function nearestLine(lines: readonly number[], value: number): number | null {
  if (lines.length === 0) return null;
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  const above = lines[lo]!;
  const below = lo > 0 ? lines[lo - 1]! : above;
  return value - below <= above - value ? below : above;
}

const TOUCH_MM = 1e-6;

/** The smallest move within `threshold` that puts one of `edges` on a line, and the lines hit. */
function snapAxis(edges: readonly number[], lines: readonly number[], threshold: number) {
  let best: number | null = null;
  for (const edge of edges) {
    const line = nearestLine(lines, edge);
    if (line === null) continue;
    const d = line - edge;
    if (Math.abs(d) <= threshold && (best === null || Math.abs(d) < Math.abs(best))) best = d;
  }
  if (best === null) return { delta: 0, hits: [] as number[] };
  const delta = best;
  const hits = edges
    .map((edge) => nearestLine(lines, edge + delta))
    .filter(
      (line, i): line is number => line !== null && Math.abs(edges[i]! + delta - line) < TOUCH_MM,
    );
  return { delta, hits: [...new Set(hits)] };
}

const guidesFor = (xs: readonly number[], ys: readonly number[]): Guide[] => [
  ...xs.map((at): Guide => ({ axis: 'x', at })),
  ...ys.map((at): Guide => ({ axis: 'y', at })),
];

/**
 * Snaps a moving rectangle's left, centre and right (top, middle, bottom) to the nearest
 * target line within `thresholdMm`, per axis; the guides are every line it then touches.
 * Several elements moved together snap with the box around them (`boundsOf`).
 */
export function snapRect(rect: Rect, targets: SnapTargets, thresholdMm: number): Snap {
  const x = snapAxis(
    [rect.x, rect.x + rect.width / 2, rect.x + rect.width],
    targets.xs,
    thresholdMm,
  );
  const y = snapAxis(
    [rect.y, rect.y + rect.height / 2, rect.y + rect.height],
    targets.ys,
    thresholdMm,
  );
  return { dx: x.delta, dy: y.delta, guides: guidesFor(x.hits, y.hits) };
}

/** The box around several rectangles (the selection's, when several elements move). */
export function boundsOf(rects: readonly Rect[]): Rect | null {
  if (rects.length === 0) return null;
  const x0 = Math.min(...rects.map((r) => r.x));
  const y0 = Math.min(...rects.map((r) => r.y));
  const x1 = Math.max(...rects.map((r) => r.x + r.width));
  const y1 = Math.max(...rects.map((r) => r.y + r.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Which edges of a box a resize handle moves. */
export interface MovingEdges {
  readonly left: boolean;
  readonly right: boolean;
  readonly top: boolean;
  readonly bottom: boolean;
}

/** The edges Konva's Transformer anchor (`top-left`, `middle-right`, ...) moves. */
export function edgesOfAnchor(anchor: string): MovingEdges {
  return {
    left: anchor.endsWith('left'),
    right: anchor.endsWith('right'),
    top: anchor.startsWith('top'),
    bottom: anchor.startsWith('bottom'),
  };
}

/**
 * Snaps the edges a resize moves (and only those: the others stay where they are) to the
 * nearest target lines within `thresholdMm`. With `keepRatio` (a corner handle keeping the
 * proportions) only the nearer axis snaps and the other edge follows the box's ratio.
 */
export function snapResize(
  box: Rect,
  edges: MovingEdges,
  targets: SnapTargets,
  thresholdMm: number,
  keepRatio = false,
): { readonly box: Rect; readonly guides: readonly Guide[] } {
  const moving = (lines: readonly number[], at: number | null) => {
    if (at === null) return null;
    const line = nearestLine(lines, at);
    return line !== null && Math.abs(line - at) <= thresholdMm ? { line, d: line - at } : null;
  };
  const x0 = box.x;
  const x1 = box.x + box.width;
  const y0 = box.y;
  const y1 = box.y + box.height;
  let sx = moving(targets.xs, edges.left ? x0 : edges.right ? x1 : null);
  let sy = moving(targets.ys, edges.top ? y0 : edges.bottom ? y1 : null);
  const corner = (edges.left || edges.right) && (edges.top || edges.bottom);
  if (keepRatio && corner && sx && sy) {
    if (Math.abs(sx.d) <= Math.abs(sy.d)) sy = null;
    else sx = null;
  }
  let { x, y, width, height } = box;
  if (sx) {
    if (edges.left) {
      x += sx.d;
      width -= sx.d;
    } else width += sx.d;
  }
  if (sy) {
    if (edges.top) {
      y += sy.d;
      height -= sy.d;
    } else height += sy.d;
  }
  if (keepRatio && corner && box.width > 0 && box.height > 0) {
    const ratio = box.width / box.height;
    if (sx) {
      const h = width / ratio;
      if (edges.top) y += height - h;
      height = h;
    } else if (sy) {
      const w = height * ratio;
      if (edges.left) x += width - w;
      width = w;
    }
  }
  return {
    box: { x, y, width, height },
    guides: guidesFor(sx ? [sx.line] : [], sy ? [sy.line] : []),
  };
}
