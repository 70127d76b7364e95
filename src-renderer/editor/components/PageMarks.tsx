import { Group, Label, Rect, Tag, Text } from 'react-konva';
import { photoResolution } from '../../../src-shared/geometry/resolution.js';
import type { Album } from '../../../src-shared/model/album.js';
import type { ImageFrame, Page } from '../../../src-shared/model/page.js';
import type { PhotoInfo } from '../editorStore.js';

/** The ppi badge's text and colour level for a frame, or null when it prints fine. */
function badgeFor(frame: ImageFrame, photo: { widthPx: number; heightPx: number } | undefined) {
  if (!frame.photoId || !photo) return null;
  const { ppi, level } = photoResolution(frame, photo, frame.placement);
  return level === 'ok' ? null : { ppi, level };
}

function Line(props: {
  readonly box: { x: number; y: number; width: number; height: number };
  readonly color: string;
  readonly dash?: number[];
}) {
  return (
    <Rect
      {...props.box}
      stroke={props.color}
      strokeWidth={1}
      strokeScaleEnabled={false}
      dash={props.dash}
      listening={false}
    />
  );
}

/**
 * Over one page of the spread: its bleed, trim and safe lines, and a resolution badge on each
 * frame whose photo prints too coarse (kept the same size on screen whatever the zoom).
 */
export function PageMarks({
  offsetX,
  page,
  album,
  photos,
  scale,
}: {
  readonly offsetX: number;
  readonly page: Page | undefined;
  readonly album: Pick<Album, 'trim' | 'bleedMm' | 'safeMarginMm'>;
  readonly photos: Readonly<Record<string, PhotoInfo>>;
  /** The stage's px per mm. */
  readonly scale: number;
}) {
  const W = album.trim.widthMm;
  const H = album.trim.heightMm;
  const bleed = album.bleedMm;
  const safe = album.safeMarginMm;
  return (
    <Group x={offsetX} listening={false}>
      <Line
        box={{ x: -bleed, y: -bleed, width: W + 2 * bleed, height: H + 2 * bleed }}
        color="#e0607e"
        dash={[4, 3]}
      />
      <Line box={{ x: 0, y: 0, width: W, height: H }} color="#333333" />
      <Line
        box={{ x: safe, y: safe, width: W - 2 * safe, height: H - 2 * safe }}
        color="#3f7fd8"
        dash={[6, 4]}
      />
      {(page?.elements ?? []).map((el) => {
        const badge =
          el.kind === 'image' ? badgeFor(el, el.photoId ? photos[el.photoId] : undefined) : null;
        if (!badge) return null;
        return (
          <Label key={el.id} x={el.x + 1} y={el.y + 1} scaleX={1 / scale} scaleY={1 / scale}>
            <Tag fill={badge.level === 'error' ? '#c62828' : '#e08a00'} cornerRadius={3} />
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
}
