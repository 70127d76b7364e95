import type { Element, Page } from '../../src-shared/model/page.js';

const PT_TO_MM = 25.4 / 72;

function ElementShape({
  element,
  thumbnailOf,
}: {
  readonly element: Element;
  readonly thumbnailOf: (photoId: string) => string | null;
}) {
  const { x, y, width, height } = element;
  const transform =
    element.rotation === 0
      ? undefined
      : `rotate(${element.rotation} ${x + width / 2} ${y + height / 2})`;
  if (element.kind === 'image') {
    const href = element.photoId === null ? null : thumbnailOf(element.photoId);
    return (
      <g transform={transform} data-kind="image">
        <rect x={x} y={y} width={width} height={height} fill="#d7dce6" />
        {href && (
          <image
            href={href}
            x={x}
            y={y}
            width={width}
            height={height}
            preserveAspectRatio={
              element.placement.fit === 'fill' ? 'xMidYMid slice' : 'xMidYMid meet'
            }
          />
        )}
      </g>
    );
  }
  if (element.kind === 'text') {
    // Lines of text as grey bars: legible words are too small to read at strip size.
    const line = element.sizePt * PT_TO_MM * element.lineHeight;
    const count = Math.max(1, Math.min(12, Math.floor((element.vertical ? width : height) / line)));
    return (
      <g transform={transform} data-kind="text" fill={element.color} opacity={0.55}>
        {Array.from({ length: count }, (_, i) =>
          element.vertical ? (
            <rect key={i} x={x + width - (i + 1) * line} y={y} width={line * 0.6} height={height} />
          ) : (
            <rect key={i} x={x} y={y + i * line} width={width} height={line * 0.6} />
          ),
        )}
      </g>
    );
  }
  const fill = element.fill ?? 'none';
  const stroke = element.stroke?.color ?? 'none';
  const strokeWidth = element.stroke?.widthMm ?? 0;
  if (element.shape === 'ellipse') {
    return (
      <ellipse
        data-kind="shape"
        transform={transform}
        cx={x + width / 2}
        cy={y + height / 2}
        rx={width / 2}
        ry={height / 2}
        fill={fill}
        stroke={stroke}
        strokeWidth={strokeWidth}
      />
    );
  }
  if (element.shape === 'line') {
    return (
      <line
        data-kind="shape"
        transform={transform}
        x1={x}
        y1={y + height / 2}
        x2={x + width}
        y2={y + height / 2}
        stroke={stroke === 'none' ? (element.fill ?? '#000000') : stroke}
        strokeWidth={Math.max(strokeWidth, 0.5)}
      />
    );
  }
  return (
    <rect
      data-kind="shape"
      transform={transform}
      x={x}
      y={y}
      width={width}
      height={height}
      fill={fill}
      stroke={stroke}
      strokeWidth={strokeWidth}
    />
  );
}

/**
 * A page drawn small from its document: trim-sized SVG in mm, background, frames with their
 * photo's thumbnail, text as lines, shapes. Re-rendered whenever the page changes.
 */
export function PageThumbnail({
  page,
  widthMm,
  heightMm,
  thumbnailOf,
}: {
  readonly page: Page;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly thumbnailOf: (photoId: string) => string | null;
}) {
  const background = page.background;
  const backgroundHref = background.kind === 'photo' ? thumbnailOf(background.photoId) : null;
  return (
    <svg
      className="page-thumbnail"
      viewBox={`0 0 ${widthMm} ${heightMm}`}
      preserveAspectRatio="xMidYMid meet"
      aria-hidden="true"
      data-elements={page.elements.length}
    >
      <clipPath id={`trim-${page.id}`}>
        <rect width={widthMm} height={heightMm} />
      </clipPath>
      <g clipPath={`url(#trim-${page.id})`}>
        <rect
          width={widthMm}
          height={heightMm}
          fill={background.kind === 'color' ? background.color : '#ffffff'}
        />
        {backgroundHref && (
          <image
            href={backgroundHref}
            width={widthMm}
            height={heightMm}
            preserveAspectRatio="xMidYMid slice"
          />
        )}
        {page.elements.map((element) => (
          <ElementShape key={element.id} element={element} thumbnailOf={thumbnailOf} />
        ))}
      </g>
    </svg>
  );
}
