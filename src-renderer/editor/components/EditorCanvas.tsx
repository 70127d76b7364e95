import type Konva from 'konva';
import type { KonvaEventObject } from 'konva/lib/Node';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Group, Layer, Rect, Stage, Transformer } from 'react-konva';
import { useT } from '../../i18n/i18nStore.js';
import { useEditor, useEditorStore } from '../editorContext.js';
import { elementHandlers } from '../gestures/elementHandlers.js';
import { marquee, type Band } from '../gestures/marquee.js';
import { panZoom } from '../gestures/panZoom.js';
import { photoDrop } from '../gestures/photoDrop.js';
import { fitTransformer, resizeHandlers } from '../gestures/resize.js';
import { spreadSlots } from '../view/spreadSlots.js';
import { fitView, pxPerMm } from '../view/zoom.js';
import type { ImageCache } from './imageCache.js';
import { PageContent } from './PageContent.js';
import { PageMarks } from './PageMarks.js';

/**
 * The spread being edited, drawn with react-konva in mm (the stage's scale is px per mm): a
 * content layer with the pages and their elements, and an overlay layer with trim, bleed and
 * safe lines, snapping guides, resolution badges, the rubber band and the transformer. What
 * the pointer does is in ../gestures.
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
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [band, setBand] = useState<Band | null>(null);

  const W = album.trim.widthMm;
  const H = album.trim.heightMm;
  const bleed = album.bleedMm;
  const slots = spreadSlots({ album, order, spreadIndex });
  const spreadBox = useMemo(
    () => ({ x: -bleed, y: -bleed, width: 2 * W + 2 * bleed, height: H + 2 * bleed }),
    [W, H, bleed],
  );

  // Made once per editor; they read the store when called, and get the stage from the caller.
  const gestures = useMemo(
    () => ({
      element: elementHandlers(store),
      resize: resizeHandlers(store),
      panZoom: panZoom(store),
      marquee: marquee(store, setBand),
      photoDrop: photoDrop(store, newId),
    }),
    [store, newId],
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

  useEffect(() => gestures.panZoom.trackSpace(window), [gestures]);

  // The transformer follows the selection.
  useEffect(() => {
    const tr = transformerRef.current;
    const stage = stageRef.current;
    if (tr && stage) fitTransformer(tr, stage, { selection, pages, cropping });
  }, [selection, pages, cropping, spreadIndex]);

  const scale = view ? pxPerMm(view.zoom) : 1;

  const onMouseDown = (e: KonvaEventObject<MouseEvent>) => {
    const stage = stageRef.current;
    if (gestures.panZoom.start(stage, e.evt)) return;
    const onEmpty = e.target === stage || e.target.hasName('page-bg');
    if (onEmpty && e.evt.button === 0) gestures.marquee.start(stage, e.evt.shiftKey);
  };
  const onMouseMove = () => {
    if (!gestures.panZoom.move(stageRef.current)) gestures.marquee.move(stageRef.current);
  };
  const onMouseUp = () => {
    gestures.panZoom.end();
    gestures.marquee.end();
  };

  return (
    <div
      ref={containerRef}
      className="editor-canvas"
      data-testid="editor-canvas"
      // The view, for tests and tools that need to map mm to screen pixels.
      data-zoom={view?.zoom}
      data-view-x={view?.x}
      data-view-y={view?.y}
      onDragOver={gestures.photoDrop.onDragOver}
      onDrop={(e) => gestures.photoDrop.onDrop(stageRef.current, e)}
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
          onWheel={(e: KonvaEventObject<WheelEvent>) =>
            gestures.panZoom.onWheel(stageRef.current, e.evt)
          }
          onMouseDown={onMouseDown}
          onMouseMove={onMouseMove}
          onMouseUp={onMouseUp}
        >
          {/* Named, with the page groups, so a print-match render can draw the content alone. */}
          <Layer name="content">
            {slots.map((slot) => {
              const page = pages[slot.pageId];
              return page ? (
                <PageContent
                  key={slot.pageId}
                  slot={slot}
                  alone={slots.length === 1}
                  page={page}
                  album={album}
                  photos={photos}
                  images={images}
                  imagesLoaded={imagesLoaded}
                  croppingId={cropping?.id ?? null}
                  handlers={gestures.element}
                />
              ) : null;
            })}
          </Layer>
          {/* Over the content: the moving nodes during a drag or resize (on this layer so that
              the content layer is not redrawn each frame), trim, bleed and safe lines, PPI
              badges, snapping guides, the rubber band and the transformer. */}
          <Layer name="overlay">
            <Group name="lifted" />
            {slots.map((slot) => (
              <PageMarks
                key={slot.pageId}
                offsetX={slot.offsetX}
                page={pages[slot.pageId]}
                album={album}
                photos={photos}
                scale={scale}
              />
            ))}
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
              boundBoxFunc={(old, next) =>
                gestures.resize.boundBox(transformerRef.current, stageRef.current, old, next)
              }
              onTransformStart={() => gestures.resize.start(stageRef.current)}
              onTransformEnd={() => gestures.resize.end(stageRef.current)}
            />
          </Layer>
        </Stage>
      )}
    </div>
  );
}
