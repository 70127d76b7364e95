import type { PhotoSummary } from '../../src-shared/desktop/contract.js';

/**
 * The drag data of a library photo. The page editor's canvas reads it on drop (a new frame,
 * or the frame under the cursor filled).
 */
export const PHOTO_DRAG_TYPE = 'application/x-weebum-photo';

export interface PhotoDragData {
  readonly photoId: string;
  readonly widthPx: number;
  readonly heightPx: number;
}

export const photoDragValue = (photo: Pick<PhotoSummary, 'id' | 'width' | 'height'>): string =>
  JSON.stringify({
    photoId: photo.id,
    widthPx: photo.width,
    heightPx: photo.height,
  } satisfies PhotoDragData);

/** What a drop carried, or null when it is not a library photo. */
export function readPhotoDrag(value: string): PhotoDragData | null {
  try {
    const data = JSON.parse(value) as Partial<PhotoDragData> | null;
    if (
      data &&
      typeof data.photoId === 'string' &&
      typeof data.widthPx === 'number' &&
      typeof data.heightPx === 'number'
    ) {
      return { photoId: data.photoId, widthPx: data.widthPx, heightPx: data.heightPx };
    }
  } catch {
    // not JSON: not ours
  }
  return null;
}
