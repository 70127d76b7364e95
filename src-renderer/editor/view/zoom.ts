import { mmToPx } from '../../../src-shared/model/units.js';

/** Where the spread is on screen: `zoom` 1 is actual size; `x`, `y` the spread's origin in px. */
export interface View {
  readonly zoom: number;
  readonly x: number;
  readonly y: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 8;

export const clampZoom = (zoom: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));

/** Screen pixels per mm: the stage's scale. */
export const pxPerMm = (zoom: number): number => mmToPx(1, zoom);

/**
 * The view that shows `content` (mm, from `originMm`) whole and centred in the viewport (px),
 * with `paddingPx` around it.
 */
export function fitView(
  viewport: { readonly width: number; readonly height: number },
  content: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  },
  paddingPx = 24,
): View {
  const scaleX = (viewport.width - 2 * paddingPx) / content.width;
  const scaleY = (viewport.height - 2 * paddingPx) / content.height;
  const zoom = clampZoom(Math.min(scaleX, scaleY) / pxPerMm(1));
  return centredView(viewport, content, zoom);
}

/** `content` centred in the viewport at the given zoom. */
export function centredView(
  viewport: { readonly width: number; readonly height: number },
  content: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  },
  zoom: number,
): View {
  const scale = pxPerMm(zoom);
  return {
    zoom,
    x: viewport.width / 2 - (content.x + content.width / 2) * scale,
    y: viewport.height / 2 - (content.y + content.height / 2) * scale,
  };
}

/** Zooms to `zoom` keeping the document point under `pointer` (px) where it is. */
export function zoomAround(view: View, zoom: number, pointer: { x: number; y: number }): View {
  const next = clampZoom(zoom);
  const before = pxPerMm(view.zoom);
  const after = pxPerMm(next);
  const mmX = (pointer.x - view.x) / before;
  const mmY = (pointer.y - view.y) / before;
  return { zoom: next, x: pointer.x - mmX * after, y: pointer.y - mmY * after };
}

/** One wheel event's zoom: smooth for trackpads, about 10 % per mouse-wheel notch. */
export const wheelZoom = (zoom: number, deltaY: number): number =>
  clampZoom(zoom * Math.exp(-deltaY * 0.001));

/** Screen px to document mm under the view. */
export const toDocument = (view: View, point: { x: number; y: number }) => ({
  x: (point.x - view.x) / pxPerMm(view.zoom),
  y: (point.y - view.y) / pxPerMm(view.zoom),
});
