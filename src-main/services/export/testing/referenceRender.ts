import sharp, { type OverlayOptions } from 'sharp';
import { placedPhotoRect } from '../../../../src-shared/geometry/resolution.js';
import type { Album } from '../../../../src-shared/model/album.js';
import type { Page } from '../../../../src-shared/model/page.js';
import type { ExportPhoto } from '../photoSource.js';

/**
 * A second, independent renderer of a page for tests: sharp composites each photo (oriented,
 * scaled to its placed size, cut to its frame) and each rectangle onto a white canvas the size
 * of the bleed box. It handles what the comparison pages use (unrotated photo frames, unrotated
 * filled rectangles); text and other shapes are out of its scope.
 */
export async function renderReference(
  album: Pick<Album, 'trim' | 'bleedMm'>,
  page: Page,
  photoFor: (id: string) => ExportPhoto | null,
  dpi: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  const b = album.bleedMm;
  const width = px(album.trim.widthMm + 2 * b);
  const height = px(album.trim.heightMm + 2 * b);
  const layers: OverlayOptions[] = [];
  for (const element of page.elements) {
    if (element.rotation !== 0) throw new Error('the reference renderer draws no rotation');
    const left = px(element.x + b);
    const top = px(element.y + b);
    const w = px(element.x + b + element.width) - left;
    const h = px(element.y + b + element.height) - top;
    if (element.kind === 'shape' && element.shape === 'rect' && element.fill) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="${element.fill}"/></svg>`;
      layers.push({ input: Buffer.from(svg), left, top });
    } else if (element.kind === 'image' && element.photoId) {
      const photo = photoFor(element.photoId)!;
      const drawn = placedPhotoRect(
        element,
        { widthPx: photo.width, heightPx: photo.height },
        element.placement,
      );
      const dx = px(element.x + b + drawn.x);
      const dy = px(element.y + b + drawn.y);
      const dw = px(element.x + b + drawn.x + drawn.width) - dx;
      const dh = px(element.y + b + drawn.y + drawn.height) - dy;
      const cut = {
        left: Math.max(0, left - dx),
        top: Math.max(0, top - dy),
        width: Math.min(dx + dw, left + w) - Math.max(dx, left),
        height: Math.min(dy + dh, top + h) - Math.max(dy, top),
      };
      const input = await sharp(photo.filePath)
        .rotate()
        .resize(dw, dh, { fit: 'fill' })
        .extract(cut)
        .toBuffer();
      layers.push({ input, left: Math.max(dx, left), top: Math.max(dy, top) });
    } else {
      throw new Error(`the reference renderer does not draw ${element.kind}`);
    }
  }
  const { data, info } = await sharp({
    create: { width, height, channels: 3, background: '#ffffff' },
  })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean absolute difference per channel (0-255) of two same-sized RGB images. */
export function meanAbsoluteDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Share (0-1) of pixels where some channel differs by more than `tolerance`. */
export function differingPixelShare(a: Buffer, b: Buffer, tolerance: number): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let differing = 0;
  for (let i = 0; i < a.length; i += 3) {
    if (
      Math.abs(a[i]! - b[i]!) > tolerance ||
      Math.abs(a[i + 1]! - b[i + 1]!) > tolerance ||
      Math.abs(a[i + 2]! - b[i + 2]!) > tolerance
    ) {
      differing += 1;
    }
  }
  return differing / (a.length / 3);
}

/** Mean absolute difference per channel inside one rectangle (px) of two same-sized RGB images. */
export function regionDifference(
  a: Buffer,
  b: Buffer,
  imageWidth: number,
  region: { left: number; top: number; width: number; height: number },
): number {
  let sum = 0;
  for (let y = region.top; y < region.top + region.height; y += 1) {
    const start = (y * imageWidth + region.left) * 3;
    for (let i = start; i < start + region.width * 3; i += 1) sum += Math.abs(a[i]! - b[i]!);
  }
  return sum / (region.width * region.height * 3);
}
