import { safeBox } from '../../src-shared/geometry/boxes.js';
import type { ZOrder } from './document/actions.js';
import { newElement, withNewIds, type NewElementKind } from './document/newElements.js';
import { spreadPages, type EditorStore } from './editorStore.js';
import { centredView, fitView, zoomAround, type View } from './view/zoom.js';

/** Where pastes and duplicates land relative to the original, in mm. */
const COPY_OFFSET_MM = 5;

/**
 * What the toolbar buttons and the keyboard shortcuts do, over one editor store. Ids come from
 * `newId` (crypto.randomUUID in the app), so the actions themselves stay pure.
 */
export function editorCommands(store: EditorStore, deps: { newId: () => string }) {
  const s = () => store.getState();
  const spreadBox = () => {
    const { album } = s();
    const b = album.bleedMm;
    return {
      x: -b,
      y: -b,
      width: 2 * album.trim.widthMm + 2 * b,
      height: album.trim.heightMm + 2 * b,
    };
  };
  const targetPage = () => {
    const state = s();
    const { left, right } = spreadPages(state);
    const onSpread = [left, right].filter((id): id is string => id !== null);
    return state.activePageId && onSpread.includes(state.activePageId)
      ? state.activePageId
      : (onSpread[0] ?? null);
  };
  const selected = () => {
    const sel = s().selection;
    return sel && sel.ids.length > 0 ? sel : null;
  };
  const zoomTo = (make: (viewport: { width: number; height: number }) => View) => {
    const viewport = s().viewport;
    if (viewport) s().setView(make(viewport));
  };

  return {
    add(kind: NewElementKind, text: string) {
      const pageId = targetPage();
      if (!pageId) return;
      s().perform('addElement', {
        pageId,
        element: newElement(kind, deps.newId(), safeBox(s().album), text),
      });
    },
    remove() {
      const sel = selected();
      if (sel) s().perform('deleteElements', { pageId: sel.pageId, ids: sel.ids });
    },
    duplicate() {
      const sel = selected();
      if (!sel) return;
      s().perform('duplicate', {
        pageId: sel.pageId,
        ids: sel.ids,
        newIds: sel.ids.map(() => deps.newId()),
        offsetMm: COPY_OFFSET_MM,
      });
    },
    undo: () => s().undo(),
    redo: () => s().redo(),
    copy: () => s().copy(),
    /** Onto the active page: copies can go to another page or spread. */
    paste() {
      const pageId = targetPage();
      const clipboard = s().clipboard;
      if (!pageId || clipboard.length === 0) return;
      const sameSpot = selected()?.pageId !== pageId;
      s().perform('paste', {
        pageId,
        elements: withNewIds(clipboard, deps.newId, sameSpot ? 0 : COPY_OFFSET_MM),
      });
    },
    nudge(dxMm: number, dyMm: number) {
      const sel = selected();
      if (sel) s().perform('nudge', { pageId: sel.pageId, ids: sel.ids, dxMm, dyMm });
    },
    zOrder(to: ZOrder) {
      const sel = selected();
      if (sel) s().perform('zOrder', { pageId: sel.pageId, ids: sel.ids, to });
    },
    toggleLock() {
      const sel = selected();
      if (!sel) return;
      const elements = s().pages[sel.pageId]?.elements.filter((e) => sel.ids.includes(e.id)) ?? [];
      s().perform('setLocked', {
        pageId: sel.pageId,
        ids: sel.ids,
        locked: !elements.every((e) => e.locked),
      });
    },
    selectAll() {
      const pageId = targetPage();
      if (pageId) s().select({ pageId, ids: s().pages[pageId]?.elements.map((e) => e.id) ?? [] });
    },
    zoomFit: () => zoomTo((viewport) => fitView(viewport, spreadBox())),
    zoomActual: () => zoomTo((viewport) => centredView(viewport, spreadBox(), 1)),
    zoomBy(factor: number) {
      const view = s().view;
      if (!view) return;
      zoomTo((viewport) =>
        zoomAround(view, view.zoom * factor, { x: viewport.width / 2, y: viewport.height / 2 }),
      );
    },
    showSpread(index: number) {
      s().showSpread(index);
    },
  };
}
export type EditorCommands = ReturnType<typeof editorCommands>;
