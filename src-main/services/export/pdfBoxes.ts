import type { Album } from '../../../src-shared/model/album.js';

/** How far crop marks (トンボ) reach beyond the bleed edge, in mm. */
export const CROP_MARK_AREA_MM = 10;

/** A rectangle in mm on the PDF page, origin at the media's top-left, y down. */
export interface MediaRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The boxes of one PDF page (a single page or a spread), all in mm from the media's top-left. */
export interface PdfPageLayout {
  readonly mediaWidth: number;
  readonly mediaHeight: number;
  readonly bleed: MediaRect;
  readonly trim: MediaRect;
  /** Where each album page's trim sits (one for single pages, two slots for a spread). */
  readonly slots: readonly { readonly trim: MediaRect; readonly clip: MediaRect }[];
}

type Format = Pick<Album, 'trim' | 'bleedMm'>;

/**
 * Single page: MediaBox = trim + bleed on every side (+ the mark area when crop marks are on).
 * Spread: two trims side by side with no bleed at the spine; each page is clipped to its own
 * half (plus its outer bleed) so bleed drawn past the spine does not spill onto the facing page.
 */
export function pdfPageLayout(
  album: Format,
  options: { spread: boolean; cropMarks: boolean },
): PdfPageLayout {
  const b = album.bleedMm;
  const m = options.cropMarks ? CROP_MARK_AREA_MM : 0;
  const w = album.trim.widthMm;
  const h = album.trim.heightMm;
  const trimWidth = options.spread ? 2 * w : w;
  const trim = { x: m + b, y: m + b, width: trimWidth, height: h };
  const bleed = { x: m, y: m, width: trimWidth + 2 * b, height: h + 2 * b };
  const slots = options.spread
    ? [
        {
          trim: { x: trim.x, y: trim.y, width: w, height: h },
          clip: { x: bleed.x, y: bleed.y, width: b + w, height: bleed.height },
        },
        {
          trim: { x: trim.x + w, y: trim.y, width: w, height: h },
          clip: { x: trim.x + w, y: bleed.y, width: w + b, height: bleed.height },
        },
      ]
    : [{ trim, clip: bleed }];
  return {
    mediaWidth: trimWidth + 2 * b + 2 * m,
    mediaHeight: h + 2 * b + 2 * m,
    bleed,
    trim,
    slots,
  };
}

/** A PDF box array [llx lly urx ury] in points from a media rectangle (PDF's y axis points up). */
export function pdfBox(rect: MediaRect, mediaHeightMm: number, toPt: (mm: number) => number) {
  return [
    toPt(rect.x),
    toPt(mediaHeightMm - rect.y - rect.height),
    toPt(rect.x + rect.width),
    toPt(mediaHeightMm - rect.y),
  ];
}
