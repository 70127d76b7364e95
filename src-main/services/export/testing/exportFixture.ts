import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { sampleAlbum } from '../../../../src-shared/model/fixtures.js';
import {
  DEFAULT_PLACEMENT,
  PAGE_SCHEMA_VERSION,
  type Element,
  type Page,
} from '../../../../src-shared/model/page.js';
import type { ExportPhoto } from '../photoSource.js';

/** A colourful test photo with shapes whose edges show misplacement or wrong orientation. */
export async function makePhoto(
  path: string,
  width: number,
  height: number,
  options: { orientation?: number; hue?: number } = {},
): Promise<void> {
  const hue = options.hue ?? 200;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${hue + 120},70%,45%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="0" y="0" width="${width / 4}" height="${height / 4}" fill="#ffdd00"/>
    <circle cx="${width * 0.65}" cy="${height * 0.6}" r="${Math.min(width, height) / 5}" fill="#ffffff"/>
  </svg>`;
  let image = sharp(Buffer.from(svg));
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  await writeFile(path, await image.jpeg({ quality: 90 }).toBuffer());
}

export const blankPage = (index: number, elements: Element[]): Page => ({
  schemaVersion: PAGE_SCHEMA_VERSION,
  id: `page-${index + 1}`,
  albumId: sampleAlbum().id,
  index,
  version: 0,
  background: { kind: 'color', color: '#ffffff' },
  elements,
});

export const frame = (
  id: string,
  photoId: string | null,
  rect: { x: number; y: number; width: number; height: number },
  rotation = 0,
): Element => ({
  id,
  kind: 'image',
  ...rect,
  rotation,
  locked: false,
  photoId,
  placement: DEFAULT_PLACEMENT,
});

/** Photos on disk and the lookup export uses, keyed by photo id. */
export function photoLookup(photos: Record<string, ExportPhoto>) {
  return (id: string): ExportPhoto | null => photos[id] ?? null;
}

export const photoPath = (dir: string, name: string) => join(dir, `${name}.jpg`);
