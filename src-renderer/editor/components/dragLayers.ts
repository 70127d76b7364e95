import Konva from 'konva';
import type { Guide } from '../view/snapping.js';

/**
 * Where a drag or a resize draws on the overlay layer (the one with the trim lines and the
 * transformer): `lifted` under the lines holds the moving nodes (empty between drags),
 * `guides` the snapping guides.
 */
export interface DragLayers {
  readonly lifted: Konva.Group;
  readonly guides: Konva.Group;
}

/** A group at the page group's place with its clip, so that a node moved into it looks the same. */
const mirror = (page: Konva.Container) =>
  new Konva.Group({
    x: page.x(),
    y: page.y(),
    clipX: page.clipX(),
    clipY: page.clipY(),
    clipWidth: page.clipWidth(),
    clipHeight: page.clipHeight(),
  });

/**
 * Moves the nodes about to move from the content layer to the overlay layer for the gesture,
 * so that each frame redraws the moving nodes, the lines and the transformer but not the
 * content layer with every other element (150 photos redrawn per pointer move made dragging
 * slow): it is drawn once when the drag starts and once when it ends. Meanwhile the moving
 * nodes show above the other elements. Returns the function that puts every node back in its
 * page group, at its index.
 */
export function liftForDrag(moving: readonly Konva.Node[], layers: DragLayers): () => void {
  const lifted = moving.flatMap((node) => {
    const parent = node.getParent();
    return parent ? [{ node, parent, index: node.zIndex() }] : [];
  });
  const proxies = new Map<Konva.Container, Konva.Group>();
  // Index order, so that the moving nodes keep their order among themselves.
  for (const { node, parent } of [...lifted].sort((a, b) => a.index - b.index)) {
    let proxy = proxies.get(parent);
    if (!proxy) {
      proxy = mirror(parent);
      proxies.set(parent, proxy);
      layers.lifted.add(proxy);
    }
    node.moveTo(proxy);
  }
  const content = moving[0]?.getLayer();
  return () => {
    const mirrors = new Set<Konva.Node>(proxies.values());
    // Ascending original index: each node goes back after the ones that were below it.
    for (const { node, parent, index } of [...lifted].sort((a, b) => a.index - b.index)) {
      // React may have removed an element meanwhile (a change from sync): it stays removed.
      const at = node.getParent();
      if (!at || !mirrors.has(at)) continue;
      node.moveTo(parent);
      node.zIndex(Math.min(index, parent.getChildren().length - 1));
    }
    for (const proxy of proxies.values()) proxy.destroy();
    content?.batchDraw();
    layers.lifted.getLayer()?.batchDraw();
  };
}

/** What a guide needs to be drawn across the page: its place in the spread and its size (mm). */
export interface GuideFrame {
  readonly offsetX: number;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly bleedMm: number;
}

/**
 * Draws the snapping guides (or none) into the guides group, straight on the Konva nodes: a
 * drag changes them many times a second, and going through React and the store for each
 * would redraw the editor. `data-guides` on the stage's container says which are shown (tests
 * read it; "x:5 y:148.5").
 */
export function paintGuides(
  group: Konva.Group,
  guides: readonly Guide[] | null,
  frame: GuideFrame | null,
): void {
  const key = guides && frame ? guides.map((g) => `${g.axis}:${+g.at.toFixed(3)}`).join(' ') : '';
  const container = group.getStage()?.container();
  if (
    (container?.dataset['guides'] ?? '') === key &&
    group.getChildren().length === (key ? guides!.length : 0)
  )
    return;
  group.destroyChildren();
  if (container) container.dataset['guides'] = key;
  if (guides && frame) {
    const { offsetX, widthMm: W, heightMm: H, bleedMm: bleed } = frame;
    for (const g of guides) {
      group.add(
        new Konva.Rect({
          x: g.axis === 'x' ? offsetX + g.at : offsetX - bleed - 10,
          y: g.axis === 'x' ? -bleed - 10 : g.at,
          width: g.axis === 'x' ? 0 : W + 2 * bleed + 20,
          height: g.axis === 'x' ? H + 2 * bleed + 20 : 0,
          stroke: '#ff2fb4',
          strokeWidth: 1,
          strokeScaleEnabled: false,
          listening: false,
          perfectDrawEnabled: false,
        }),
      );
    }
  }
  group.getLayer()?.batchDraw();
}
