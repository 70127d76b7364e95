/**
 * Albums for the export benches: generated 12 MP JPEGs, and pages that place them either one
 * per page across the whole bleed (pass-through) or four per page at layout sizes (downsampled).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { sampleAlbum } from '../../src-shared/model/fixtures.js';
import { trimFromPreset, type Album } from '../../src-shared/model/album.js';
import { DEFAULT_PLACEMENT, PAGE_SCHEMA_VERSION, type Page } from '../../src-shared/model/page.js';

export const PHOTO_WIDTH = 4000;
export const PHOTO_HEIGHT = 3000;

/**
 * `count` photo files; `distinct` of them differ (blurred noise compresses like a photo), the
 * rest are copies: each is still read from its own file.
 */
export async function generatePhotoFiles(
  dir: string,
  count: number,
  distinct: number,
  size = { width: PHOTO_WIDTH, height: PHOTO_HEIGHT },
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const base = await sharp({
    create: {
      width: size.width,
      height: size.height,
      channels: 3,
      background: { r: 90, g: 140, b: 200 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .blur(1.5)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `IMG_${String(i + 1).padStart(4, '0')}.jpg`);
    if (i < distinct) {
      await sharp(base.data, { raw: base.info })
        .linear(1, i * 7)
        .jpeg({ quality: 92 })
        .toFile(file);
    } else {
      copyFileSync(files[i % distinct]!, file);
    }
    files.push(file);
  }
  return files;
}

/** A4 landscape: a 4:3 photo filling the bleed box is 335 PPI, so it passes through. */
export const fullPageAlbum = (): Album => sampleAlbum({ trim: trimFromPreset('A4_LANDSCAPE') });
export const layoutAlbum = (): Album => sampleAlbum();

/** 2 x 2 frames of 95 x 71.25 mm on A4: a 12 MP photo there is ~1070 PPI, downsampled. */
export const LAYOUT_FRAMES = [
  { x: 7.5, y: 20 },
  { x: 107.5, y: 20 },
  { x: 7.5, y: 150 },
  { x: 107.5, y: 150 },
].map((p) => ({ ...p, width: 95, height: 71.25 }));

export function benchPages(kind: 'full' | 'layout', album: Album, photoCount: number): Page[] {
  const perPage = kind === 'full' ? 1 : LAYOUT_FRAMES.length;
  const b = album.bleedMm;
  const rects =
    kind === 'full'
      ? [{ x: -b, y: -b, width: album.trim.widthMm + 2 * b, height: album.trim.heightMm + 2 * b }]
      : LAYOUT_FRAMES;
  return Array.from({ length: Math.ceil(photoCount / perPage) }, (_, index) => ({
    schemaVersion: PAGE_SCHEMA_VERSION,
    id: `page-${index + 1}`,
    albumId: album.id,
    index,
    version: 0,
    background: { kind: 'color', color: '#ffffff' },
    elements: rects.map((rect, i) => ({
      id: `frame-${i}`,
      kind: 'image',
      ...rect,
      rotation: 0,
      locked: false,
      photoId: `photo-${index * perPage + i}`,
      placement: DEFAULT_PLACEMENT,
    })),
  }));
}
