import type Konva from 'konva';
import type { KonvaEventObject } from 'konva/lib/Node';
import { memo, useMemo } from 'react';
import { Ellipse, Group, Image as KonvaImage, Line, Rect, Text } from 'react-konva';
import { placedPhotoRect } from '../../../src-shared/geometry/resolution.js';
import type { Element, ImageFrame, Shape, TextBox } from '../../../src-shared/model/page.js';
import { ptToMm } from '../../../src-shared/model/units.js';
import { approximateMeasure } from '../../../src-shared/text/textLayout.js';
import type { PhotoInfo } from '../editorStore.js';
import { canvasMeasure, layoutHorizontalText } from '../view/horizontalText.js';
import { layoutVerticalText } from '../view/verticalText.js';
import type { ImageCache } from './imageCache.js';

export interface ElementHandlers {
  readonly onSelect: (id: string, additive: boolean) => void;
  readonly onDoubleClick: (element: Element) => void;
  readonly onDragStart: (element: Element, node: Konva.Node) => void;
  /** `event` is the pointer event: every node of a multiple selection fires for the same one. */
  readonly onDragMove: (element: Element, node: Konva.Node, event: Event) => void;
  readonly onDragEnd: (node: Konva.Node) => void;
  readonly onPhotoDragEnd: (frame: ImageFrame, node: Konva.Node) => void;
}

/**
 * Text is set at this font size in px and scaled down to mm. Konva places the baseline from
 * the font's ascent and descent as the canvas reports them, in whole px: at a few px (a 9 pt
 * font is 3.2 mm, so 3.2 px at the stage's mm scale) that rounding moved lines by up to half
 * a millimetre against the PDF; at 100 px it is a few thousandths of an em.
 */
const TEXT_DRAW_PX = 100;

function TextContent({ box }: { readonly box: TextBox }) {
  const size = ptToMm(box.sizePt);
  const k = size / TEXT_DRAW_PX;
  const measure = useMemo(() => {
    const context = document.createElement('canvas').getContext('2d');
    return context ? canvasMeasure(context) : approximateMeasure;
  }, []);
  // Laid out again only when the box changes (not while it is dragged).
  const lines = useMemo(
    () => (box.vertical ? [] : layoutHorizontalText(box, measure)),
    [box, measure],
  );
  const glyphs = useMemo(() => (box.vertical ? layoutVerticalText(box).glyphs : []), [box]);
  if (!box.vertical) {
    // One Konva text per line of the shared layout; at line height 1 Konva puts the baseline
    // 0.88 em below y with IPAex's metrics, where the layout (and the PDF) has it.
    return (
      <>
        {lines.map((line, i) => (
          <Text
            listening={false}
            perfectDrawEnabled={false}
            key={i}
            x={line.x}
            y={line.top}
            scaleX={k}
            scaleY={k}
            text={line.text}
            fontFamily={box.fontFamily}
            fontSize={TEXT_DRAW_PX}
            fill={box.color}
            letterSpacing={line.charSpacing / k}
          />
        ))}
      </>
    );
  }
  return (
    <>
      {glyphs.map((g, i) => (
        <Text
          listening={false}
          perfectDrawEnabled={false}
          key={i}
          x={g.centerX}
          y={g.centerY}
          scaleX={k}
          scaleY={k}
          offsetX={TEXT_DRAW_PX / 2}
          offsetY={TEXT_DRAW_PX / 2}
          width={TEXT_DRAW_PX}
          height={TEXT_DRAW_PX}
          rotation={g.rotated ? 90 : 0}
          text={g.char}
          fontFamily={box.fontFamily}
          fontSize={TEXT_DRAW_PX}
          fill={box.color}
          align="center"
          verticalAlign="middle"
        />
      ))}
    </>
  );
}

function ShapeContent({ shape }: { readonly shape: Shape }) {
  const sw = shape.stroke?.widthMm ?? 0;
  const stroke = shape.stroke?.color;
  const fill = shape.fill ?? undefined;
  if (shape.shape === 'line') {
    return (
      <Line
        listening={false}
        perfectDrawEnabled={false}
        points={[0, shape.height / 2, shape.width, shape.height / 2]}
        stroke={stroke}
        strokeWidth={sw}
      />
    );
  }
  // Strokes are drawn inside the box, so the box is what prints.
  if (shape.shape === 'ellipse') {
    return (
      <Ellipse
        listening={false}
        perfectDrawEnabled={false}
        x={shape.width / 2}
        y={shape.height / 2}
        radiusX={Math.max(0.01, (shape.width - sw) / 2)}
        radiusY={Math.max(0.01, (shape.height - sw) / 2)}
        fill={fill}
        stroke={stroke}
        strokeWidth={sw}
      />
    );
  }
  return (
    <Rect
      listening={false}
      perfectDrawEnabled={false}
      x={sw / 2}
      y={sw / 2}
      width={Math.max(0.01, shape.width - sw)}
      height={Math.max(0.01, shape.height - sw)}
      fill={fill}
      stroke={stroke}
      strokeWidth={sw}
    />
  );
}

function FrameContent({
  frame,
  photo,
  images,
  cropping,
  onPhotoDragEnd,
}: {
  readonly frame: ImageFrame;
  readonly photo: PhotoInfo | undefined;
  readonly images: ImageCache;
  readonly cropping: boolean;
  readonly onPhotoDragEnd: ElementHandlers['onPhotoDragEnd'];
}) {
  const image = photo?.thumbnailUrl ? images.get(photo.thumbnailUrl) : undefined;
  if (!frame.photoId || !photo) {
    return (
      <Rect
        listening={false}
        perfectDrawEnabled={false}
        width={frame.width}
        height={frame.height}
        fill="#e4e8ef"
        stroke="#9aa5b8"
        strokeWidth={0.3}
        dash={[2, 1]}
      />
    );
  }
  const placed = placedPhotoRect(frame, photo, frame.placement);
  if (!image) return <Rect {...placed} fill="#cfd6e2" listening={false} />;
  return (
    <KonvaImage
      image={image}
      {...placed}
      draggable={cropping}
      // Only the photo being adjusted takes the pointer; otherwise the frame's hit box does.
      listening={cropping}
      onDragEnd={(e: KonvaEventObject<DragEvent>) => {
        e.cancelBubble = true;
        onPhotoDragEnd(frame, e.target);
      }}
    />
  );
}

/** One element, drawn in mm inside a group centred on the element (rotation is about the centre). */
export const ElementNode = memo(function ElementNode({
  element,
  draggable,
  cropping,
  photo,
  images,
  handlers,
}: {
  readonly element: Element;
  readonly draggable: boolean;
  readonly cropping: boolean;
  readonly photo: PhotoInfo | undefined;
  readonly images: ImageCache;
  /** Changes when thumbnails arrive (memo would otherwise keep the placeholder). */
  readonly imagesLoaded: number;
  readonly handlers: ElementHandlers;
}) {
  const { width: w, height: h } = element;
  return (
    <Group
      id={element.id}
      name="element"
      x={element.x + w / 2}
      y={element.y + h / 2}
      offsetX={w / 2}
      offsetY={h / 2}
      rotation={element.rotation}
      draggable={draggable && !cropping}
      clipX={0}
      clipY={0}
      clipWidth={w}
      clipHeight={h}
      onMouseDown={(e: KonvaEventObject<MouseEvent>) => {
        if (e.evt.button !== 0) return;
        e.cancelBubble = true;
        handlers.onSelect(element.id, e.evt.shiftKey);
      }}
      onTap={() => handlers.onSelect(element.id, false)}
      onDblClick={() => handlers.onDoubleClick(element)}
      onDragStart={(e: KonvaEventObject<DragEvent>) => {
        if (e.target.hasName('element')) handlers.onDragStart(element, e.target);
      }}
      onDragMove={(e: KonvaEventObject<DragEvent>) => {
        if (e.target.hasName('element')) handlers.onDragMove(element, e.target, e.evt);
      }}
      onDragEnd={(e: KonvaEventObject<DragEvent>) => {
        if (e.target.hasName('element')) handlers.onDragEnd(e.target);
      }}
    >
      {/* The hit area: the whole box selects, also where text or a shape leaves it empty; the
          content draws no hit graph of its own (cheaper redraws of a page with many photos). */}
      <Rect width={w} height={h} fill="rgba(0,0,0,0)" />
      {element.kind === 'text' && <TextContent box={element} />}
      {element.kind === 'shape' && <ShapeContent shape={element} />}
      {element.kind === 'image' && (
        <FrameContent
          frame={element}
          photo={photo}
          images={images}
          cropping={cropping}
          onPhotoDragEnd={handlers.onPhotoDragEnd}
        />
      )}
    </Group>
  );
});
