import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { processPhoto, type ProcessResult } from './processPhoto.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const run = (data: Buffer, claim: Partial<{ size: number; sha256: string }> = {}) =>
  processPhoto(Readable.from([data]), { size: data.length, sha256: sha256(data), ...claim });
const rejected = (result: ProcessResult) => (result.ok ? 'accepted' : result.reason);

/** A 1200 x 800 camera JPEG held sideways (orientation 6), with a capture date and GPS. */
async function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c0392b' } })
    .withExif({
      IFD0: { Make: 'Canon', Model: 'EOS R6' },
      IFD2: { DateTimeOriginal: '2026:07:15 09:30:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 41/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe('processing an uploaded photo', () => {
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await cameraJpeg();
  });

  it('applies EXIF orientation, reads the capture date and makes stripped derivatives', async () => {
    const result = await run(jpeg);
    if (!result.ok) throw new Error(result.message);
    const { photo } = result;
    expect(photo).toMatchObject({
      format: 'jpeg',
      width: 800,
      height: 1200,
      orientation: 6,
      takenAtLocal: '2026-07-15T09:30:00',
    });
    const thumb = await sharp(photo.thumbnail).metadata();
    expect([thumb.width, thumb.height]).toEqual([213, 320]);
    expect(thumb.exif).toBeUndefined(); // no GPS, no camera data in what we serve
    const preview = await sharp(photo.preview).metadata();
    expect([preview.width, preview.height]).toEqual([800, 1200]); // never enlarged
    expect(preview.orientation).toBeUndefined();
  });

  it('accepts PNG, WebP and TIFF', async () => {
    const base = sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } });
    for (const [format, data] of [
      ['png', await base.clone().png().toBuffer()],
      ['webp', await base.clone().webp().toBuffer()],
      ['tiff', await base.clone().tiff().toBuffer()],
    ] as const) {
      const result = await run(data);
      expect(result.ok && result.photo.format).toBe(format);
    }
  });

  it('refuses bytes that do not match the claimed size or hash', async () => {
    expect(rejected(await run(jpeg, { size: jpeg.length + 1 }))).toBe('size_mismatch');
    expect(rejected(await run(jpeg, { size: jpeg.length - 1 }))).toBe('size_mismatch');
    expect(rejected(await run(jpeg, { sha256: sha256(Buffer.from('other')) }))).toBe(
      'hash_mismatch',
    );
  });

  it('refuses a file that is not an image, and formats we do not print', async () => {
    expect(rejected(await run(Buffer.from('%PDF-1.7 not a photo')))).toBe('not_an_image');
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    expect(rejected(await run(gif))).toBe('unsupported_format');
  });

  it('refuses a truncated JPEG', async () => {
    expect(rejected(await run(jpeg.subarray(0, Math.floor(jpeg.length * 0.6))))).toBe(
      'corrupt_image',
    );
  });

  it('refuses a 20,000 x 20,000 PNG from its header, without decoding it', async () => {
    const bomb = withPngSize(await sharp(tinyPng()).png().toBuffer(), 20_000, 20_000);
    expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(20_000);
    expect(rejected(await run(bomb))).toBe('too_many_pixels');
  });
});

/** A PNG of one pixel; the bomb test rewrites its header to claim 400 megapixels. */
function tinyPng(): Buffer {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
}

/** Rewrites a PNG's IHDR width and height (and its CRC), as a decompression bomb would claim. */
function withPngSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29); // CRC over "IHDR" + 13 data bytes
  return out;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
