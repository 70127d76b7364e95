import type Konva from 'konva';
import { rotatedBounds } from '../../../src-shared/geometry/boxes.js';
import { paintGuides } from '../components/dragLayers.js';
import type { ElementHandlers } from '../components/ElementNode.js';
import type { EditorStore } from '../editorStore.js';
import { boundsOf, snapRect } from '../view/snapping.js';
import { pxPerMm } from '../view/zoom.js';
import { SNAP_PX, startGesture, type Gesture } from './selectionGesture.js';
import { dragLayersOf, findElementNode } from './stageNodes.js';

/** The elements' boxes in mm as their nodes show them now (rotated ones: the box around). */
function nodeBounds(moving: Gesture['moving']) {
  return moving.map(({ element: e, node: n }) => {
    const box = {
      x: n.x() - e.width / 2,
      y: n.y() - e.height / 2,
      width: e.width,
      height: e.height,
    };
    return rotatedBounds(box, e.rotation);
  });
}

/**
 * What an element's pointer events do: select, open for editing, drag the selection, drag a
 * photo inside its frame. Made once per editor and reading the store when called, so element
 * nodes (memoised) do not re-render while something else is dragged. During a drag nothing
 * goes through React or the store: Konva moves the nodes (on a layer of their own), snapping
 * moves them on and draws the guides, and the drop is one `move` action.
 */
export function elementHandlers(store: EditorStore): ElementHandlers {
  const state = () => store.getState();
  let drag: Gesture | null = null;
  let stage: Konva.Stage | null = null;
  const layers = () => dragLayersOf(stage);
  const find = (id: string) => findElementNode(stage, id);
  return {
    onSelect(id, additive) {
      const pageId = Object.values(state().pages).find((p) =>
        p.elements.some((e) => e.id === id),
      )?.id;
      if (!pageId) return;
      const current = state().selection;
      if (additive && current?.pageId === pageId) {
        const ids = current.ids.includes(id)
          ? current.ids.filter((x) => x !== id)
          : [...current.ids, id];
        state().select({ pageId, ids });
      } else if (!(current?.pageId === pageId && current.ids.includes(id))) {
        state().select({ pageId, ids: [id] });
      }
    },
    onDoubleClick(element) {
      const pageId = state().selection?.pageId;
      if (!pageId) return;
      if (element.kind === 'image' && element.photoId) {
        state().setCropping({ pageId, id: element.id });
      } else if (element.kind === 'text') {
        document.getElementById('prop-text')?.focus();
      }
    },
    onDragStart(element, node) {
      // The transformer starts the other selected nodes' drags too: one gesture for them all.
      if (drag) return;
      stage = node.getStage();
      const l = layers();
      if (l) drag = startGesture(state(), l, find, element.id);
    },
    onDragMove(_element, _node, event) {
      const s = state();
      const l = layers();
      if (!drag || !l || !s.view || drag.lastEvent === event) return;
      drag.lastEvent = event;
      // Several elements snap with the box around them.
      const box = boundsOf(nodeBounds(drag.moving));
      if (!box) return;
      const snap = snapRect(box, drag.targets, SNAP_PX / pxPerMm(s.view.zoom));
      if (snap.dx !== 0 || snap.dy !== 0) {
        for (const { node: n } of drag.moving)
          n.position({ x: n.x() + snap.dx, y: n.y() + snap.dy });
      }
      paintGuides(l.guides, snap.guides, drag.frame);
    },
    onDragEnd(dragged) {
      const s = state();
      const gesture = drag;
      drag = null;
      gesture?.restore();
      const l = layers();
      if (l) paintGuides(l.guides, null, null);
      const sel = s.selection;
      const page = sel ? s.pages[sel.pageId] : undefined;
      if (!sel || !page) return;
      // What moved: the selection and, if it was not in it, the element dragged.
      const moved = new Set([...sel.ids, ...(gesture?.moving.map((m) => m.element.id) ?? [])]);
      const patches = page.elements
        .filter((e) => moved.has(e.id))
        .flatMap((e) => {
          const node = findElementNode(dragged.getStage(), e.id);
          return node
            ? [{ id: e.id, patch: { x: node.x() - e.width / 2, y: node.y() - e.height / 2 } }]
            : [];
        });
      s.perform('move', { pageId: sel.pageId, patches });
    },
    onPhotoDragEnd(frame, node) {
      const sel = state().selection;
      if (!sel || !frame.photoId) return;
      const dx = node.x() - (frame.width - node.width()) / 2;
      const dy = node.y() - (frame.height - node.height()) / 2;
      state().perform('adjustPhoto', {
        pageId: sel.pageId,
        patches: [
          {
            id: frame.id,
            patch: { placement: { ...frame.placement, offsetXMm: dx, offsetYMm: dy } },
          },
        ],
      });
    },
  };
}
