import type { Rect } from '../../../src-shared/geometry/boxes.js';
import { placedPhotoRect, type PixelSize } from '../../../src-shared/geometry/resolution.js';
import type { Placement } from '../../../src-shared/model/page.js';
import { mmToInch } from '../../../src-shared/model/units.js';

/** Above this effective resolution a photo is downsampled; at or below it the original is embedded. */
export const PASS_THROUGH_MAX_PPI = 600;
/** What a downsampled photo is resampled to: comfortably above the 300 PPI printers ask for. */
export const DOWNSAMPLE_PPI = 350;

/** How one photo goes into one frame. Rectangles are mm relative to the frame's top-left. */
export type PhotoPlan =
  | {
      readonly kind: 'pass-through';
      /** Where the whole original is drawn (the frame clips it). */
      readonly drawRect: Rect;
      readonly ppi: number;
    }
  | {
      readonly kind: 'downsample';
      /** The visible part only, resampled: its pixel size and where it is drawn. */
      readonly drawRect: Rect;
      readonly ppi: number;
      /** Size to resize the whole (oriented) photo to, then the part to cut out of it. */
      readonly resizeTo: PixelSize;
      readonly extract: { left: number; top: number; width: number; height: number };
    }
  | { readonly kind: 'invisible' };

export function planPhoto(
  frame: { readonly width: number; readonly height: number },
  photo: PixelSize,
  placement: Placement,
): PhotoPlan {
  const drawn = placedPhotoRect(frame, photo, placement);
  const ppi = photo.widthPx / mmToInch(drawn.width);
  const left = Math.max(0, drawn.x);
  const top = Math.max(0, drawn.y);
  const right = Math.min(frame.width, drawn.x + drawn.width);
  const bottom = Math.min(frame.height, drawn.y + drawn.height);
  if (right <= left || bottom <= top) return { kind: 'invisible' };
  if (ppi <= PASS_THROUGH_MAX_PPI) return { kind: 'pass-through', drawRect: drawn, ppi };

  const resizeTo = {
    widthPx: Math.max(1, Math.round(mmToInch(drawn.width) * DOWNSAMPLE_PPI)),
    heightPx: Math.max(1, Math.round(mmToInch(drawn.height) * DOWNSAMPLE_PPI)),
  };
  const pxPerMmX = resizeTo.widthPx / drawn.width;
  const pxPerMmY = resizeTo.heightPx / drawn.height;
  // Whole pixels that cover the visible part; the frame's clip trims the fraction left over.
  const x0 = Math.max(0, Math.floor((left - drawn.x) * pxPerMmX));
  const y0 = Math.max(0, Math.floor((top - drawn.y) * pxPerMmY));
  const x1 = Math.min(resizeTo.widthPx, Math.ceil((right - drawn.x) * pxPerMmX));
  const y1 = Math.min(resizeTo.heightPx, Math.ceil((bottom - drawn.y) * pxPerMmY));
  const extract = { left: x0, top: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
  return {
    kind: 'downsample',
    ppi: DOWNSAMPLE_PPI,
    resizeTo,
    extract,
    drawRect: {
      x: drawn.x + extract.left / pxPerMmX,
      y: drawn.y + extract.top / pxPerMmY,
      width: extract.width / pxPerMmX,
      height: extract.height / pxPerMmY,
    },
  };
}
