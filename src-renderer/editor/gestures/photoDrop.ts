import type Konva from 'konva';
import type { DragEvent } from 'react';
import { frameAt } from '../../../src-shared/model/hitTest.js';
import { newImageFrame, parsePhotoDrag, PHOTO_DRAG_TYPE } from '../document/newElements.js';
import type { EditorStore } from '../editorStore.js';
import { slotAt, spreadSlots } from '../view/spreadSlots.js';
import { toDocument } from '../view/zoom.js';

/**
 * A photo dragged from the library onto the canvas: dropped on a frame it fills the frame
 * (the topmost frame there, whatever lies over it), elsewhere on a page it makes a new frame.
 */
export function photoDrop(store: EditorStore, newId: () => string) {
  return {
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer.types.includes(PHOTO_DRAG_TYPE)) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }
    },
    onDrop: (konva: Konva.Stage | null, e: DragEvent) => {
      const photo = parsePhotoDrag(e.dataTransfer.getData(PHOTO_DRAG_TYPE));
      const s = store.getState();
      if (!photo || !konva || !s.view) return;
      e.preventDefault();
      konva.setPointersPositions(e.nativeEvent);
      const pos = konva.getPointerPosition();
      if (!pos) return;
      const at = toDocument(s.view, pos);
      const slot = slotAt(spreadSlots(s), at.x, s.album);
      if (!slot) return;
      const x = at.x - slot.offsetX;
      const y = at.y;
      s.setPhotos({
        [photo.photoId]: {
          widthPx: photo.widthPx,
          heightPx: photo.heightPx,
          thumbnailUrl: s.photos[photo.photoId]?.thumbnailUrl ?? null,
        },
      });
      const page = store.getState().pages[slot.pageId];
      const frame = page ? frameAt(page, x, y) : null;
      if (frame) {
        store.getState().perform('placePhoto', {
          pageId: slot.pageId,
          patches: [
            {
              id: frame.id,
              patch: {
                photoId: photo.photoId,
                placement: { fit: 'fill', scale: 1, offsetXMm: 0, offsetYMm: 0 },
              },
            },
          ],
        });
        store.getState().select({ pageId: slot.pageId, ids: [frame.id] });
      } else {
        store.getState().perform('addElement', {
          pageId: slot.pageId,
          element: newImageFrame(newId(), photo, { x, y }),
        });
      }
    },
  };
}
