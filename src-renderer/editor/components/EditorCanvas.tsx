import type Konva from 'konva';
import type { KonvaEventObject } from 'konva/lib/Node';
import type { Box as TransformerBox } from 'konva/lib/shapes/Transformer';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Group, Label, Layer, Rect, Stage, Tag, Text, Transformer } from 'react-konva';
import { photoResolution } from '../../../src-shared/geometry/resolution.js';
import type { Element, ImageFrame } from '../../../src-shared/model/page.js';
import { useT } from '../../i18n/i18nStore.js';
import { newImageFrame, parsePhotoDrag, PHOTO_DRAG_TYPE } from '../document/newElements.js';
import { useEditor, useEditorStore } from '../editorContext.js';
import { spreadPages, type EditorState, type EditorStore } from '../editorStore.js';
import {
  boundsOf,
  edgesOfAnchor,
  rotatedBounds,
  snapRect,
  snapResize,
  snapTargets,
  type SnapTargets,
} from '../view/snapping.js';
import { fitView, pxPerMm, toDocument, wheelZoom, zoomAround } from '../view/zoom.js';
import { ElementNode, type ElementHandlers } from './ElementNode.js';
import { liftForDrag, paintGuides, type DragLayers, type GuideFrame } from './dragLayers.js';
import type { ImageCache } from './imageCache.js';
import { PageBackground } from './PageBackground.js';

/** Snapping reaches this far on screen, whatever the zoom. */
const SNAP_PX = 6;

interface Slot {
  readonly pageId: string;
  /** mm from the spread's origin (the left page's trim edge). */
  readonly offsetX: number;
  readonly side: 'left' | 'right';
}

interface Band {
  readonly slot: Slot;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

const intersects = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The ppi badge's text and colour level for a frame, or null when it prints fine. */
function badgeFor(frame: ImageFrame, photo: { widthPx: number; heightPx: number } | undefined) {
  if (!frame.photoId || !photo) return null;
  const { ppi, level } = photoResolution(frame, photo, frame.placement);
  return level === 'ok' ? null : { ppi, level };
}

const findElementNode = (stage: Konva.Stage | null, id: string) =>
  stage?.findOne((n: Konva.Node) => n.id() === id && n.hasName('element'));

/** The layers and group a drag draws on, found by name on the stage. */
function dragLayersOf(stage: Konva.Stage | null): DragLayers | null {
  const lifted = stage?.findOne<Konva.Group>('.lifted');
  const guides = stage?.findOne<Konva.Group>('.guides');
  return lifted && guides ? { lifted, guides } : null;
}

/** The page's position in the spread shown (mm from the spread's origin), if it is shown. */
function slotOffset(state: EditorState, pageId: string): number | null {
  const { left, right } = spreadPages(state);
  if (pageId === left) return 0;
  if (pageId === right) return state.album.trim.widthMm;
  return null;
}

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

/** One drag or resize of the selection: what moves, what it snaps to, how to put nodes back. */
interface Gesture {
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
 * Starts a drag or a resize of the selection on its page: lifts the moving nodes onto the
 * drag layer (`liftForDrag`) and computes the snapping lines of everything else once.
 */
function startGesture(
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

/**
 * What an element's pointer events do. Made once per editor and reading the store when called,
 * so element nodes (memoised) do not re-render while something else is dragged. During a drag
 * nothing goes through React or the store: Konva moves the nodes (on a layer of their own),
 * snapping moves them on and draws the guides, and the drop is one `move` action.
 */
function elementHandlers(store: EditorStore): ElementHandlers {
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

/**
 * The spread being edited, drawn with react-konva in mm (the stage's scale is px per mm): a
 * content layer with the pages and their elements, and an overlay layer with trim, bleed and
 * safe lines, snapping guides, resolution badges, the rubber band and the transformer.
 */
export function EditorCanvas({
  imagesLoaded,
  images,
  newId,
}: {
  readonly images: ImageCache;
  /** Bumped when a thumbnail arrives: frames redraw with it. */
  readonly imagesLoaded: number;
  readonly newId: () => string;
}) {
  const t = useT();
  const store = useEditorStore();
  const album = useEditor((s) => s.album);
  const pages = useEditor((s) => s.pages);
  const order = useEditor((s) => s.order);
  const spreadIndex = useEditor((s) => s.spreadIndex);
  const selection = useEditor((s) => s.selection);
  const cropping = useEditor((s) => s.cropping);
  const view = useEditor((s) => s.view);
  const photos = useEditor((s) => s.photos);

  const containerRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const transformerRef = useRef<Konva.Transformer>(null);
  const resize = useRef<Gesture | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [band, setBand] = useState<Band | null>(null);
  const pan = useRef<{ x: number; y: number; viewX: number; viewY: number } | null>(null);
  const spaceDown = useRef(false);

  const W = album.trim.widthMm;
  const H = album.trim.heightMm;
  const bleed = album.bleedMm;
  const { left, right } = spreadPages({ album, order, spreadIndex });
  const slots: Slot[] = [
    ...(left ? [{ pageId: left, offsetX: 0, side: 'left' as const }] : []),
    ...(right ? [{ pageId: right, offsetX: W, side: 'right' as const }] : []),
  ];
  const spreadBox = useMemo(
    () => ({ x: -bleed, y: -bleed, width: 2 * W + 2 * bleed, height: H + 2 * bleed }),
    [W, H, bleed],
  );

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      const next = { width: el.clientWidth, height: el.clientHeight };
      if (next.width > 0 && next.height > 0) {
        setSize(next);
        store.getState().setViewport(next);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [store]);

  // The first view fits the spread; later ones are the user's (zoom buttons, wheel, pan).
  useEffect(() => {
    if (size && !store.getState().view) store.getState().setView(fitView(size, spreadBox));
  }, [size, spreadBox, store, view]);

  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.code === 'Space') spaceDown.current = true;
    };
    const up = (e: KeyboardEvent) => {
      if (e.code === 'Space') spaceDown.current = false;
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);

  const scale = view ? pxPerMm(view.zoom) : 1;
  const selectedIds = useMemo(() => new Set(selection?.ids ?? []), [selection]);

  // The transformer follows the selection (locked elements and photo adjusting excluded).
  useEffect(() => {
    const tr = transformerRef.current;
    const stage = stageRef.current;
    if (!tr || !stage) return;
    const page = selection ? pages[selection.pageId] : undefined;
    const nodes =
      cropping || !page
        ? []
        : page.elements
            .filter((e) => selectedIds.has(e.id) && !e.locked)
            .flatMap((e) => {
              const node = stage.findOne(
                (n: Konva.Node) => n.id() === e.id && n.hasName('element'),
              );
              return node ? [node] : [];
            });
    tr.nodes(nodes);
    tr.getLayer()?.batchDraw();
  }, [selection, selectedIds, pages, cropping, spreadIndex]);

  const findNode = (id: string) => findElementNode(stageRef.current, id);
  const layers = () => dragLayersOf(stageRef.current);
  const handlers = useMemo(() => elementHandlers(store), [store]);

  const onTransformStart = () => {
    const l = layers();
    resize.current = l ? startGesture(store.getState(), l, findNode) : null;
  };
  /** Resizing snaps the edges the handle moves (unrotated boxes); the transformer's box is in px. */
  const boundBox = (old: TransformerBox, next: TransformerBox): TransformerBox => {
    if (Math.abs(next.width) < 4 || Math.abs(next.height) < 2) return old;
    const tr = transformerRef.current;
    const gesture = resize.current;
    const anchor = tr?.getActiveAnchor();
    const v = store.getState().view;
    const l = layers();
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
  };

  const onTransformEnd = () => {
    resize.current?.restore();
    resize.current = null;
    const l = layers();
    if (l) paintGuides(l.guides, null, null);
    const sel = store.getState().selection;
    const page = sel ? pages[sel.pageId] : undefined;
    if (!sel || !page) return;
    const patches = page.elements
      .filter((e) => sel.ids.includes(e.id))
      .flatMap((e) => {
        const node = findNode(e.id);
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
  };

  const pointerMm = () => {
    const stage = stageRef.current;
    const pos = stage?.getPointerPosition();
    const v = store.getState().view;
    return pos && v ? toDocument(v, pos) : null;
  };
  const slotAt = (xMm: number) =>
    slots.find(
      (s) =>
        xMm >= s.offsetX - (s.side === 'left' ? bleed : 0) &&
        xMm < s.offsetX + W + (s.side === 'right' ? bleed : 0),
    ) ?? (slots.length === 1 ? slots[0] : undefined);

  const onWheel = (e: KonvaEventObject<WheelEvent>) => {
    e.evt.preventDefault();
    const v = store.getState().view;
    const pos = stageRef.current?.getPointerPosition();
    if (!v || !pos) return;
    const crop = store.getState().cropping;
    if (crop) {
      const frame = pages[crop.pageId]?.elements.find((el) => el.id === crop.id);
      if (frame?.kind === 'image') {
        const next = Math.min(
          50,
          Math.max(0.05, frame.placement.scale * Math.exp(-e.evt.deltaY * 0.001)),
        );
        store.getState().perform('adjustPhoto', {
          pageId: crop.pageId,
          patches: [
            {
              id: frame.id,
              patch: {
                placement: {
                  ...frame.placement,
                  scale: frame.placement.fit === 'fill' ? Math.max(1, next) : next,
                },
              },
            },
          ],
        });
        return;
      }
    }
    store.getState().setView(zoomAround(v, wheelZoom(v.zoom, e.evt.deltaY), pos));
  };

  const onMouseDown = (e: KonvaEventObject<MouseEvent>) => {
    const target = e.target;
    const onEmpty = target === stageRef.current || target.hasName('page-bg');
    const v = store.getState().view;
    if (e.evt.button === 1 || (spaceDown.current && e.evt.button === 0)) {
      const pos = stageRef.current?.getPointerPosition();
      if (pos && v) pan.current = { x: pos.x, y: pos.y, viewX: v.x, viewY: v.y };
      return;
    }
    if (!onEmpty || e.evt.button !== 0) return;
    store.getState().setCropping(null);
    const at = pointerMm();
    const slot = at ? slotAt(at.x) : undefined;
    if (!e.evt.shiftKey) store.getState().select(null);
    if (slot && at) {
      store.getState().setActivePage(slot.pageId);
      setBand({ slot, x0: at.x - slot.offsetX, y0: at.y, x1: at.x - slot.offsetX, y1: at.y });
    }
  };
  const onMouseMove = () => {
    const pos = stageRef.current?.getPointerPosition();
    const v = store.getState().view;
    if (pan.current && pos && v) {
      store.getState().setView({
        zoom: v.zoom,
        x: pan.current.viewX + pos.x - pan.current.x,
        y: pan.current.viewY + pos.y - pan.current.y,
      });
      return;
    }
    if (band) {
      const at = pointerMm();
      if (at) setBand({ ...band, x1: at.x - band.slot.offsetX, y1: at.y });
    }
  };
  const onMouseUp = () => {
    pan.current = null;
    if (!band) return;
    const box = {
      x: Math.min(band.x0, band.x1),
      y: Math.min(band.y0, band.y1),
      width: Math.abs(band.x1 - band.x0),
      height: Math.abs(band.y1 - band.y0),
    };
    setBand(null);
    if (box.width < 0.5 && box.height < 0.5) return;
    const page = pages[band.slot.pageId];
    const hit = (page?.elements ?? [])
      .filter((el) => intersects(box, rotatedBounds(el, el.rotation)))
      .map((el) => el.id);
    const current = store.getState().selection;
    const base = current?.pageId === band.slot.pageId ? current.ids : [];
    store.getState().select({ pageId: band.slot.pageId, ids: [...new Set([...base, ...hit])] });
  };

  const onDragOver = (e: DragEvent) => {
    if (e.dataTransfer.types.includes(PHOTO_DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  };
  const onDrop = useCallback(
    (e: DragEvent) => {
      const photo = parsePhotoDrag(e.dataTransfer.getData(PHOTO_DRAG_TYPE));
      const stage = stageRef.current;
      const v = store.getState().view;
      if (!photo || !stage || !v) return;
      e.preventDefault();
      stage.setPointersPositions(e.nativeEvent);
      const pos = stage.getPointerPosition();
      if (!pos) return;
      const at = toDocument(v, pos);
      const slot = slotAt(at.x);
      if (!slot) return;
      const x = at.x - slot.offsetX;
      const y = at.y;
      const known = store.getState().photos[photo.photoId];
      store.getState().setPhotos({
        [photo.photoId]: {
          widthPx: photo.widthPx,
          heightPx: photo.heightPx,
          thumbnailUrl: known?.thumbnailUrl ?? null,
        },
      });
      const page = store.getState().pages[slot.pageId];
      const frame = [...(page?.elements ?? [])]
        .reverse()
        .find(
          (el): el is ImageFrame =>
            el.kind === 'image' &&
            x >= el.x &&
            x <= el.x + el.width &&
            y >= el.y &&
            y <= el.y + el.height,
        );
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
    // slots change with the spread; the store is read fresh inside
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, newId, left, right, W, bleed],
  );

  const line = (
    points: { x: number; y: number; width: number; height: number },
    color: string,
    dash?: number[],
  ) => (
    <Rect
      {...points}
      stroke={color}
      strokeWidth={1}
      strokeScaleEnabled={false}
      dash={dash}
      listening={false}
    />
  );

  return (
    <div
      ref={containerRef}
      className="editor-canvas"
      data-testid="editor-canvas"
      // The view, for tests and tools that need to map mm to screen pixels.
      data-zoom={view?.zoom}
      data-view-x={view?.x}
      data-view-y={view?.y}
      onDragOver={onDragOver}
      onDrop={onDrop}
      role="region"
      aria-label={t('editor.canvas')}
    >
      {size && view && (
        <Stage
          ref={stageRef}
          width={size.width}
          height={size.height}
          x={view.x}
          y={view.y}
          scaleX={scale}
          scaleY={scale}
          onWheel={onWheel}
          onMouseDown={onMouseDown}
          onMouseMove={onMouseMove}
          onMouseUp={onMouseUp}
        >
          {/* Named, with the page groups, so a print-match render can draw the content alone. */}
          <Layer name="content">
            {slots.map((slot) => {
              const page = pages[slot.pageId];
              if (!page) return null;
              const clipLeft = slot.side === 'left' || slots.length === 1 ? -bleed : 0;
              const clipRight = slot.side === 'right' || slots.length === 1 ? W + bleed : W;
              return (
                <Group
                  key={slot.pageId}
                  name="page"
                  id={slot.pageId}
                  x={slot.offsetX}
                  clipX={clipLeft}
                  clipY={-bleed}
                  clipWidth={clipRight - clipLeft}
                  clipHeight={H + 2 * bleed}
                >
                  <Rect
                    name="page-bg"
                    x={clipLeft}
                    y={-bleed}
                    width={clipRight - clipLeft}
                    height={H + 2 * bleed}
                    fill={page.background.kind === 'color' ? page.background.color : '#ffffff'}
                  />
                  <PageBackground
                    background={page.background}
                    album={album}
                    photo={
                      page.background.kind === 'photo' ? photos[page.background.photoId] : undefined
                    }
                    images={images}
                  />
                  {page.elements.map((element: Element) => (
                    <ElementNode
                      key={element.id}
                      element={element}
                      draggable={!element.locked}
                      cropping={cropping?.id === element.id}
                      photo={
                        element.kind === 'image' && element.photoId
                          ? photos[element.photoId]
                          : undefined
                      }
                      images={images}
                      imagesLoaded={element.kind === 'image' ? imagesLoaded : 0}
                      handlers={handlers}
                    />
                  ))}
                </Group>
              );
            })}
          </Layer>
          {/* Over the content: the moving nodes during a drag or resize (on this layer so that
              the content layer is not redrawn each frame), trim, bleed and safe lines, PPI
              badges, snapping guides, the rubber band and the transformer. */}
          <Layer name="overlay">
            <Group name="lifted" />
            {slots.map((slot) => {
              const page = pages[slot.pageId];
              return (
                <Group key={slot.pageId} x={slot.offsetX} listening={false}>
                  {line(
                    { x: -bleed, y: -bleed, width: W + 2 * bleed, height: H + 2 * bleed },
                    '#e0607e',
                    [4, 3],
                  )}
                  {line({ x: 0, y: 0, width: W, height: H }, '#333333')}
                  {line(
                    {
                      x: album.safeMarginMm,
                      y: album.safeMarginMm,
                      width: W - 2 * album.safeMarginMm,
                      height: H - 2 * album.safeMarginMm,
                    },
                    '#3f7fd8',
                    [6, 4],
                  )}
                  {(page?.elements ?? []).map((el) => {
                    const badge =
                      el.kind === 'image'
                        ? badgeFor(el, el.photoId ? photos[el.photoId] : undefined)
                        : null;
                    if (!badge) return null;
                    return (
                      <Label
                        key={el.id}
                        x={el.x + 1}
                        y={el.y + 1}
                        scaleX={1 / scale}
                        scaleY={1 / scale}
                      >
                        <Tag
                          fill={badge.level === 'error' ? '#c62828' : '#e08a00'}
                          cornerRadius={3}
                        />
                        <Text
                          text={`⚠ ${badge.ppi} ppi`}
                          fill="#ffffff"
                          fontSize={12}
                          padding={4}
                          fontStyle="bold"
                        />
                      </Label>
                    );
                  })}
                </Group>
              );
            })}
            <Group name="guides" listening={false} />
            {band && (
              <Rect
                x={band.slot.offsetX + Math.min(band.x0, band.x1)}
                y={Math.min(band.y0, band.y1)}
                width={Math.abs(band.x1 - band.x0)}
                height={Math.abs(band.y1 - band.y0)}
                fill="rgba(63,127,216,0.12)"
                stroke="#3f7fd8"
                strokeWidth={1}
                strokeScaleEnabled={false}
                listening={false}
              />
            )}
            <Transformer
              ref={transformerRef}
              rotateEnabled
              flipEnabled={false}
              ignoreStroke
              anchorSize={8}
              borderStroke="#3f7fd8"
              anchorStroke="#3f7fd8"
              boundBoxFunc={boundBox}
              onTransformStart={onTransformStart}
              onTransformEnd={onTransformEnd}
            />
          </Layer>
        </Stage>
      )}
    </div>
  );
}
