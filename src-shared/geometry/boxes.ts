import type { Album } from '../model/album.js';

/** An axis-aligned rectangle in mm, origin at the trim's top-left. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

type PageFormat = Pick<Album, 'trim' | 'bleedMm' | 'safeMarginMm'>;
/** What the bleed box needs of an album (the export has only the trim's size at hand). */
export interface BleedFormat {
  readonly trim: { readonly widthMm: number; readonly heightMm: number };
  readonly bleedMm: number;
}

export const trimBox = (album: PageFormat): Rect => ({
  x: 0,
  y: 0,
  width: album.trim.widthMm,
  height: album.trim.heightMm,
});

/** What gets printed before cutting: the trim plus bleed on every side. */
export const bleedBox = (album: BleedFormat): Rect => ({
  x: -album.bleedMm,
  y: -album.bleedMm,
  width: album.trim.widthMm + 2 * album.bleedMm,
  height: album.trim.heightMm + 2 * album.bleedMm,
});

/** Where text and faces are safe from the cutter. */
export const safeBox = (album: PageFormat): Rect => ({
  x: album.safeMarginMm,
  y: album.safeMarginMm,
  width: album.trim.widthMm - 2 * album.safeMarginMm,
  height: album.trim.heightMm - 2 * album.safeMarginMm,
});

export const containsRect = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

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
