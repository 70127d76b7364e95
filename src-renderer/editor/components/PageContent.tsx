import { Group, Rect } from 'react-konva';
import type { Album } from '../../../src-shared/model/album.js';
import type { Page } from '../../../src-shared/model/page.js';
import type { PhotoInfo } from '../editorStore.js';
import type { Slot } from '../view/spreadSlots.js';
import { ElementNode, type ElementHandlers } from './ElementNode.js';
import type { ImageCache } from './imageCache.js';
import { PageBackground } from './PageBackground.js';

/**
 * One page of the spread: clipped to its trim plus the outer bleed (all of the bleed when it
 * is shown alone), its background, then its elements in page order.
 */
export function PageContent({
  slot,
  alone,
  page,
  album,
  photos,
  images,
  imagesLoaded,
  croppingId,
  handlers,
}: {
  readonly slot: Slot;
  /** The only page of its spread. */
  readonly alone: boolean;
  readonly page: Page;
  readonly album: Pick<Album, 'trim' | 'bleedMm'>;
  readonly photos: Readonly<Record<string, PhotoInfo>>;
  readonly images: ImageCache;
  readonly imagesLoaded: number;
  /** The frame whose photo is being adjusted, if any. */
  readonly croppingId: string | null;
  readonly handlers: ElementHandlers;
}) {
  const W = album.trim.widthMm;
  const H = album.trim.heightMm;
  const bleed = album.bleedMm;
  const clipLeft = slot.side === 'left' || alone ? -bleed : 0;
  const clipRight = slot.side === 'right' || alone ? W + bleed : W;
  return (
    <Group
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
        photo={page.background.kind === 'photo' ? photos[page.background.photoId] : undefined}
        images={images}
      />
      {page.elements.map((element) => (
        <ElementNode
          key={element.id}
          element={element}
          draggable={!element.locked}
          cropping={croppingId === element.id}
          photo={element.kind === 'image' && element.photoId ? photos[element.photoId] : undefined}
          images={images}
          imagesLoaded={element.kind === 'image' ? imagesLoaded : 0}
          handlers={handlers}
        />
      ))}
    </Group>
  );
}
