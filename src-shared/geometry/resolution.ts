import type { Placement } from '../model/page.js';
import { mmToInch } from '../model/units.js';
import type { Rect } from './boxes.js';

/** Pixel size of a photo after EXIF orientation is applied. */
export interface PixelSize {
  readonly widthPx: number;
  readonly heightPx: number;
}

export const PPI_WARNING = 300;
export const PPI_ERROR = 200;

/**
 * The rectangle (mm, relative to the frame's top-left) where the whole photo is drawn.
 * The frame clips it; parts outside are not printed.
 */
export function placedPhotoRect(
  frame: { readonly width: number; readonly height: number },
  photo: PixelSize,
  placement: Placement,
): Rect {
  const photoAspect = photo.widthPx / photo.heightPx;
  const frameAspect = frame.width / frame.height;
  const widerThanFrame = photoAspect > frameAspect;
  // fill: cover the frame (match the shorter fit); fit: show all (match the longer fit).
  const matchHeight = placement.fit === 'fill' ? widerThanFrame : !widerThanFrame;
  const baseWidth = matchHeight ? frame.height * photoAspect : frame.width;
  const width = baseWidth * placement.scale;
  const height = width / photoAspect;
  return {
    x: (frame.width - width) / 2 + placement.offsetXMm,
    y: (frame.height - height) / 2 + placement.offsetYMm,
    width,
    height,
  };
}

/** Effective resolution in pixels per inch at print size; aspect is kept, so one number holds. */
export function effectivePpi(
  frame: { readonly width: number; readonly height: number },
  photo: PixelSize,
  placement: Placement,
): number {
  const drawn = placedPhotoRect(frame, photo, placement);
  return photo.widthPx / mmToInch(drawn.width);
}

export type ResolutionLevel = 'ok' | 'warning' | 'error';

export const resolutionLevel = (ppi: number): ResolutionLevel =>
  ppi < PPI_ERROR ? 'error' : ppi < PPI_WARNING ? 'warning' : 'ok';

/** An effective resolution as every part of the app states it: whole ppi and its level. */
export interface PhotoResolution {
  readonly ppi: number;
  readonly level: ResolutionLevel;
}

/**
 * The one rounding of an effective resolution, for the editor's badge, the properties panel
 * and preflight: down to whole ppi (299.6 reads 299, never "300 ppi" beside a warning below
 * 300), with the level taken from that whole number so the two always agree. The tiny
 * allowance keeps an exact 300 that floating point computed as 299.99999 at 300.
 */
export function photoResolution(
  frame: { readonly width: number; readonly height: number },
  photo: PixelSize,
  placement: Placement,
): PhotoResolution {
  const ppi = Math.floor(effectivePpi(frame, photo, placement) + 1e-6);
  return { ppi, level: resolutionLevel(ppi) };
}
