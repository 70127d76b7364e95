import type { Placement } from '../model/page.js';
import { bleedBox, type BleedFormat, type Rect } from './boxes.js';
import { placedPhotoRect, type PixelSize } from './resolution.js';

/**
 * The box a page's background covers: the whole bleed box, so a photo background runs off the
 * cut edge. Its placement is relative to this box, as an image frame's is to the frame.
 */
export const backgroundBox = (album: BleedFormat): Rect => bleedBox(album);

/**
 * Where a background photo is drawn, in mm from the trim's top-left; the background box clips
 * it. The editor draws it here and the PDF export prints it here.
 */
export function placedBackgroundRect(
  album: BleedFormat,
  photo: PixelSize,
  placement: Placement,
): Rect {
  const box = backgroundBox(album);
  const drawn = placedPhotoRect(box, photo, placement);
  return { ...drawn, x: box.x + drawn.x, y: box.y + drawn.y };
}
