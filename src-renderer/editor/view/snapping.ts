import type { Rect } from '../../../src-shared/geometry/boxes.js';

/** Lines an element may snap to, in mm: vertical lines at `xs`, horizontal at `ys`. */
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

/** Page edges, centre and safe lines, and other elements' edges and centres. */
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
  return { xs, ys };
}

function snapAxis(edges: readonly number[], lines: readonly number[], threshold: number) {
  let best: number | null = null;
  for (const edge of edges) {
    for (const line of lines) {
      const d = line - edge;
      if (Math.abs(d) <= threshold && (best === null || Math.abs(d) < Math.abs(best))) best = d;
    }
  }
  if (best === null) return { delta: 0, hits: [] as number[] };
  const delta = best;
  const hits = lines.filter((line) => edges.some((edge) => Math.abs(edge + delta - line) < 1e-6));
  return { delta, hits: [...new Set(hits)] };
}

/**
 * Snaps a moving rectangle's left, centre and right (top, middle, bottom) to the nearest
 * target line within `thresholdMm`, per axis; the guides are every line it then touches.
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
  return {
    dx: x.delta,
    dy: y.delta,
    guides: [
      ...x.hits.map((at): Guide => ({ axis: 'x', at })),
      ...y.hits.map((at): Guide => ({ axis: 'y', at })),
    ],
  };
}

/** The axis-aligned box around a rectangle rotated (degrees clockwise) about its centre. */
export function rotatedBounds(rect: Rect, rotation: number): Rect {
  if (rotation % 360 === 0) return rect;
  const rad = (rotation * Math.PI) / 180;
  const cos = Math.abs(Math.cos(rad));
  const sin = Math.abs(Math.sin(rad));
  const width = rect.width * cos + rect.height * sin;
  const height = rect.width * sin + rect.height * cos;
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}
