import type Konva from 'konva';
import { rotatedBounds } from '../../../src-shared/geometry/boxes.js';
import type { Element } from '../../../src-shared/model/page.js';
import { liftForDrag, type DragLayers, type GuideFrame } from '../components/dragLayers.js';
import type { EditorState } from '../editorStore.js';
import { snapTargets, type SnapTargets } from '../view/snapping.js';
import { slotOffset } from '../view/spreadSlots.js';

/** Snapping reaches this far on screen, whatever the zoom. */
export const SNAP_PX = 6;

/** One drag or resize of the selection: what moves, what it snaps to, how to put nodes back. */
export interface Gesture {
  readonly pageId: string;
  readonly frame: GuideFrame;
  readonly moving: readonly { readonly element: Element; readonly node: Konva.Node }[];
  /** The other elements' and the page's lines, computed once when the gesture starts. */
  readonly targets: SnapTargets;
  readonly restore: () => void;
  /** The pointer event last snapped for: every moving node fires dragmove for the same one. */
  lastEvent: Event | null;
}

/**
 * Starts a drag or a resize of the selection (and `extra`, the element dragged when it is not
 * selected) on its page: lifts the moving nodes onto the drag layer (`liftForDrag`) and
 * computes the snapping lines of everything else once.
 */
export function startGesture(
  s: EditorState,
  layers: DragLayers,
  find: (id: string) => Konva.Node | undefined,
  extra?: string,
): Gesture | null {
  const sel = s.selection;
  const page = sel ? s.pages[sel.pageId] : undefined;
  const offsetX = sel ? slotOffset(s, sel.pageId) : null;
  if (!sel || !page || offsetX === null) return null;
  const ids = new Set(sel.ids);
  if (extra) ids.add(extra);
  const moving = page.elements.flatMap((element) => {
    const node = ids.has(element.id) && !element.locked ? find(element.id) : undefined;
    return node ? [{ element, node }] : [];
  });
  if (moving.length === 0) return null;
  const targets = snapTargets(
    {
      widthMm: s.album.trim.widthMm,
      heightMm: s.album.trim.heightMm,
      safeMarginMm: s.album.safeMarginMm,
    },
    page.elements.filter((e) => !ids.has(e.id)).map((e) => rotatedBounds(e, e.rotation)),
  );
  return {
    pageId: sel.pageId,
    frame: {
      offsetX,
      widthMm: s.album.trim.widthMm,
      heightMm: s.album.trim.heightMm,
      bleedMm: s.album.bleedMm,
    },
    moving,
    targets,
    restore: liftForDrag(
      moving.map((m) => m.node),
      layers,
    ),
    lastEvent: null,
  };
}
