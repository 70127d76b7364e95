import type Konva from 'konva';
import type { EditorState } from '../editorStore.js';
import type { DragLayers } from '../components/dragLayers.js';
import { toDocument } from '../view/zoom.js';

/** What the canvas's gestures find on its Konva stage (the nodes React drew). */

export const findElementNode = (stage: Konva.Stage | null, id: string) =>
  stage?.findOne((n: Konva.Node) => n.id() === id && n.hasName('element'));

/** The layers and group a drag draws on, found by name on the stage. */
export function dragLayersOf(stage: Konva.Stage | null): DragLayers | null {
  const lifted = stage?.findOne<Konva.Group>('.lifted');
  const guides = stage?.findOne<Konva.Group>('.guides');
  return lifted && guides ? { lifted, guides } : null;
}

/** The pointer in mm from the spread's origin, under the view, or null. */
export function pointerMm(stage: Konva.Stage | null, view: EditorState['view']) {
  const pos = stage?.getPointerPosition();
  return pos && view ? toDocument(view, pos) : null;
}
