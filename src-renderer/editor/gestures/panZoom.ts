import type Konva from 'konva';
import type { EditorStore } from '../editorStore.js';
import { wheelZoom, zoomAround } from '../view/zoom.js';

/** The photo scale one wheel event gives while a photo is adjusted in its frame. */
function cropScale(fit: 'fill' | 'fit', scale: number, deltaY: number): number {
  const next = Math.min(50, Math.max(0.05, scale * Math.exp(-deltaY * 0.001)));
  // A filled photo never gets smaller than its frame.
  return fit === 'fill' ? Math.max(1, next) : next;
}

/**
 * Zooming with the wheel (about the pointer; the photo instead while one is adjusted) and
 * panning with the middle button or with the space bar held.
 */
export function panZoom(store: EditorStore) {
  let pan: { x: number; y: number; viewX: number; viewY: number } | null = null;
  let spaceDown = false;

  return {
    /** Follows the space bar on `target` (the window); returns the function that stops. */
    trackSpace: (
      target: Pick<Window, 'addEventListener' | 'removeEventListener'>,
    ): (() => void) => {
      const down = (e: KeyboardEvent) => {
        if (e.code === 'Space') spaceDown = true;
      };
      const up = (e: KeyboardEvent) => {
        if (e.code === 'Space') spaceDown = false;
      };
      target.addEventListener('keydown', down);
      target.addEventListener('keyup', up);
      return () => {
        target.removeEventListener('keydown', down);
        target.removeEventListener('keyup', up);
      };
    },
    onWheel: (stage: Konva.Stage | null, event: WheelEvent) => {
      event.preventDefault();
      const s = store.getState();
      const v = s.view;
      const pos = stage?.getPointerPosition();
      if (!v || !pos) return;
      const crop = s.cropping;
      const frame = crop ? s.pages[crop.pageId]?.elements.find((el) => el.id === crop.id) : null;
      if (crop && frame?.kind === 'image') {
        const { placement } = frame;
        s.perform('adjustPhoto', {
          pageId: crop.pageId,
          patches: [
            {
              id: frame.id,
              patch: {
                placement: {
                  ...placement,
                  scale: cropScale(placement.fit, placement.scale, event.deltaY),
                },
              },
            },
          ],
        });
        return;
      }
      s.setView(zoomAround(v, wheelZoom(v.zoom, event.deltaY), pos));
    },
    /** Starts a pan on the middle button, or the left one with space held: true if it did. */
    start: (stage: Konva.Stage | null, event: MouseEvent): boolean => {
      if (event.button !== 1 && !(spaceDown && event.button === 0)) return false;
      const pos = stage?.getPointerPosition();
      const v = store.getState().view;
      if (pos && v) pan = { x: pos.x, y: pos.y, viewX: v.x, viewY: v.y };
      return true;
    },
    /** Moves the view with the pointer during a pan: true if one runs. */
    move: (stage: Konva.Stage | null): boolean => {
      const pos = stage?.getPointerPosition();
      const v = store.getState().view;
      if (!pan || !pos || !v) return false;
      store.getState().setView({
        zoom: v.zoom,
        x: pan.viewX + pos.x - pan.x,
        y: pan.viewY + pos.y - pan.y,
      });
      return true;
    },
    end: () => {
      pan = null;
    },
  };
}
