import type Konva from 'konva';
import type { Box as TransformerBox } from 'konva/lib/shapes/Transformer';
import { paintGuides } from '../components/dragLayers.js';
import type { EditorState, EditorStore } from '../editorStore.js';
import { edgesOfAnchor, snapResize } from '../view/snapping.js';
import { pxPerMm } from '../view/zoom.js';
import { SNAP_PX, startGesture, type Gesture } from './selectionGesture.js';
import { dragLayersOf, findElementNode } from './stageNodes.js';

/**
 * Puts the transformer's handles on the selected nodes (locked elements and a frame whose
 * photo is being adjusted have none).
 */
export function fitTransformer(
  transformer: Konva.Transformer,
  stage: Konva.Stage,
  state: Pick<EditorState, 'selection' | 'pages' | 'cropping'>,
): void {
  const { selection, cropping } = state;
  const page = selection ? state.pages[selection.pageId] : undefined;
  const selected = new Set(selection?.ids ?? []);
  const nodes =
    cropping || !page
      ? []
      : page.elements
          .filter((e) => selected.has(e.id) && !e.locked)
          .flatMap((e) => {
            const node = findElementNode(stage, e.id);
            return node ? [node] : [];
          });
  transformer.nodes(nodes);
  transformer.getLayer()?.batchDraw();
}

/**
 * The transformer's resize and rotate gesture: its nodes are lifted onto the drag layer while
 * it runs, the edges a handle moves snap (`boundBox`), and the end is one `transform` action.
 */
export function resizeHandlers(store: EditorStore) {
  let resize: Gesture | null = null;

  return {
    start: (stage: Konva.Stage | null) => {
      const l = dragLayersOf(stage);
      resize = l ? startGesture(store.getState(), l, (id) => findElementNode(stage, id)) : null;
    },
    /** Resizing snaps the edges the handle moves (unrotated boxes); the transformer's box is in px. */
    boundBox: (
      tr: Konva.Transformer | null,
      stage: Konva.Stage | null,
      old: TransformerBox,
      next: TransformerBox,
    ): TransformerBox => {
      if (Math.abs(next.width) < 4 || Math.abs(next.height) < 2) return old;
      const gesture = resize;
      const anchor = tr?.getActiveAnchor();
      const v = store.getState().view;
      const l = dragLayersOf(stage);
      const turned = Math.abs(Math.sin(next.rotation)) > 1e-6 || Math.cos(next.rotation) < 0;
      if (!tr || !gesture || !anchor || anchor.startsWith('rotater') || !v || !l || turned) {
        return next;
      }
      const k = pxPerMm(v.zoom);
      const offset = gesture.frame.offsetX;
      const snapped = snapResize(
        {
          x: (next.x - v.x) / k - offset,
          y: (next.y - v.y) / k,
          width: next.width / k,
          height: next.height / k,
        },
        edgesOfAnchor(anchor),
        gesture.targets,
        SNAP_PX / k,
        tr.keepRatio() &&
          anchor !== 'rotater' &&
          !anchor.startsWith('middle') &&
          !anchor.endsWith('center'),
      );
      paintGuides(l.guides, snapped.guides, gesture.frame);
      return {
        ...next,
        x: (snapped.box.x + offset) * k + v.x,
        y: snapped.box.y * k + v.y,
        width: snapped.box.width * k,
        height: snapped.box.height * k,
      };
    },
    end: (stage: Konva.Stage | null) => {
      resize?.restore();
      resize = null;
      const l = dragLayersOf(stage);
      if (l) paintGuides(l.guides, null, null);
      const { selection: sel, pages } = store.getState();
      const page = sel ? pages[sel.pageId] : undefined;
      if (!sel || !page) return;
      const patches = page.elements
        .filter((e) => sel.ids.includes(e.id))
        .flatMap((e) => {
          const node = findElementNode(stage, e.id);
          if (!node) return [];
          const width = Math.max(1, e.width * Math.abs(node.scaleX()));
          const height = Math.max(0.5, e.height * Math.abs(node.scaleY()));
          node.scaleX(1);
          node.scaleY(1);
          const rotation = Math.round(node.rotation() * 100) / 100;
          return [
            {
              id: e.id,
              patch: { x: node.x() - width / 2, y: node.y() - height / 2, width, height, rotation },
            },
          ];
        });
      store.getState().perform('transform', { pageId: sel.pageId, patches });
    },
  };
}
