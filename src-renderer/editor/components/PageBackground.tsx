import { Image as KonvaImage, Rect } from 'react-konva';
import { placedBackgroundRect } from '../../../src-shared/geometry/background.js';
import type { Album } from '../../../src-shared/model/album.js';
import type { Background } from '../../../src-shared/model/page.js';
import type { PhotoInfo } from '../editorStore.js';
import type { ImageCache } from './imageCache.js';

/**
 * A page's photo background, behind its elements: drawn where the PDF export prints it (the
 * bleed box, cropped by its placement: `placedBackgroundRect` in src-shared). It takes no
 * pointer events, so a click on it lands on the page (deselects, starts a rubber band) and it
 * is never selected or dragged. A colour background is the page rectangle's fill.
 */
export function PageBackground({
  background,
  album,
  photo,
  images,
}: {
  readonly background: Background;
  readonly album: Pick<Album, 'trim' | 'bleedMm'>;
  readonly photo: PhotoInfo | undefined;
  readonly images: ImageCache;
}) {
  if (background.kind !== 'photo' || !photo) return null;
  const placed = placedBackgroundRect(album, photo, background.placement);
  const image = photo.thumbnailUrl ? images.get(photo.thumbnailUrl) : undefined;
  if (!image) {
    return <Rect name="page-background" {...placed} fill="#cfd6e2" listening={false} />;
  }
  return (
    <KonvaImage
      name="page-background"
      image={image}
      {...placed}
      listening={false}
      perfectDrawEnabled={false}
    />
  );
}
