import type Konva from 'konva';
import { elementsInRect } from '../../../src-shared/model/hitTest.js';
import type { EditorStore } from '../editorStore.js';
import { slotAt, spreadSlots, type Slot } from '../view/spreadSlots.js';
import { pointerMm } from './stageNodes.js';

/** The rubber band being drawn: corners in mm on its page (from the page's trim edge). */
export interface Band {
  readonly slot: Slot;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** A band smaller than this both ways is a click on the page, not a selection. */
const CLICK_MM = 0.5;

/**
 * The rubber band: pressed on an empty part of a page it deselects (unless shift is held) and
 * makes that page the active one; released, it adds what it overlaps to the selection.
 * `onBand` shows the band (null: none).
 */
export function marquee(store: EditorStore, onBand: (band: Band | null) => void) {
  let band: Band | null = null;
  const show = (next: Band | null) => {
    band = next;
    onBand(next);
  };
  return {
    start: (stage: Konva.Stage | null, additive: boolean) => {
      const s = store.getState();
      s.setCropping(null);
      const at = pointerMm(stage, s.view);
      const slot = at ? slotAt(spreadSlots(s), at.x, s.album) : undefined;
      if (!additive) s.select(null);
      if (slot && at) {
        store.getState().setActivePage(slot.pageId);
        const x = at.x - slot.offsetX;
        show({ slot, x0: x, y0: at.y, x1: x, y1: at.y });
      }
    },
    move: (stage: Konva.Stage | null) => {
      if (!band) return;
      const at = pointerMm(stage, store.getState().view);
      if (at) show({ ...band, x1: at.x - band.slot.offsetX, y1: at.y });
    },
    end: () => {
      if (!band) return;
      const { slot, x0, y0, x1, y1 } = band;
      show(null);
      const rect = {
        x: Math.min(x0, x1),
        y: Math.min(y0, y1),
        width: Math.abs(x1 - x0),
        height: Math.abs(y1 - y0),
      };
      if (rect.width < CLICK_MM && rect.height < CLICK_MM) return;
      const s = store.getState();
      const page = s.pages[slot.pageId];
      const hit = page ? elementsInRect(page, rect).map((e) => e.id) : [];
      const base = s.selection?.pageId === slot.pageId ? s.selection.ids : [];
      s.select({ pageId: slot.pageId, ids: [...new Set([...base, ...hit])] });
    },
  };
}
