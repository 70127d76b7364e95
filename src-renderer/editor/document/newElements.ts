import type { Rect } from '../../../src-shared/geometry/boxes.js';
import {
  DEFAULT_PLACEMENT,
  type Element,
  type ImageFrame,
  type Shape,
  type TextBox,
} from '../../../src-shared/model/page.js';

export type NewElementKind = 'text' | 'rect' | 'ellipse' | 'line';

/** A new element of `kind` centred in `area` (the page's safe area). */
export function newElement(kind: NewElementKind, id: string, area: Rect, text: string): Element {
  const cx = area.x + area.width / 2;
  const cy = area.y + area.height / 2;
  const base = { id, rotation: 0, locked: false };
  if (kind === 'text') {
    const box: TextBox = {
      ...base,
      kind: 'text',
      x: cx - 40,
      y: cy - 10,
      width: 80,
      height: 20,
      text,
      fontFamily: 'IPAexGothic',
      sizePt: 18,
      color: '#1a1a1a',
      align: 'start',
      lineHeight: 1.5,
      vertical: false,
    };
    return box;
  }
  const shape: Shape = {
    ...base,
    kind: 'shape',
    shape: kind,
    x: cx - 30,
    y: kind === 'line' ? cy - 1 : cy - 20,
    width: 60,
    height: kind === 'line' ? 2 : 40,
    fill: kind === 'line' ? null : '#dfe7f5',
    stroke: { color: kind === 'line' ? '#1a1a1a' : '#3b5b92', widthMm: 0.5 },
  };
  return shape;
}

/** A frame for a dropped photo: its aspect, 80 mm on its longer side, centred on the drop. */
export function newImageFrame(
  id: string,
  photo: { photoId: string; widthPx: number; heightPx: number },
  at: { x: number; y: number },
): ImageFrame {
  const aspect = photo.widthPx / photo.heightPx;
  const width = aspect >= 1 ? 80 : 80 * aspect;
  const height = aspect >= 1 ? 80 / aspect : 80;
  return {
    id,
    kind: 'image',
    x: at.x - width / 2,
    y: at.y - height / 2,
    width,
    height,
    rotation: 0,
    locked: false,
    photoId: photo.photoId,
    placement: DEFAULT_PLACEMENT,
  };
}

/** The drag-and-drop contract with the photo library. */
export const PHOTO_DRAG_TYPE = 'application/x-weebum-photo';

export function parsePhotoDrag(
  value: string,
): { photoId: string; widthPx: number; heightPx: number } | null {
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    const { photoId, widthPx, heightPx } = v;
    if (
      typeof photoId === 'string' &&
      /^[A-Za-z0-9_-]{1,64}$/.test(photoId) &&
      typeof widthPx === 'number' &&
      typeof heightPx === 'number' &&
      widthPx > 0 &&
      heightPx > 0
    ) {
      return { photoId, widthPx, heightPx };
    }
  } catch {
    // not ours
  }
  return null;
}

/** Copies of elements with fresh ids, for paste (onto any page). */
export const withNewIds = (elements: readonly Element[], newId: () => string, offsetMm: number) =>
  elements.map((e): Element => ({
    ...e,
    id: newId(),
    x: e.x + offsetMm,
    y: e.y + offsetMm,
    locked: false,
  }));
