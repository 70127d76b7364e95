import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import exifReader from 'exif-reader';
import sharp, { type Metadata } from 'sharp';
import type { ServerPhotoFailure } from '../../src-shared/library/failureReasons.js';

/** Decompression-bomb guard: a 20,000 x 20,000 PNG is 400 MP and is refused from its header. */
export const MAX_PIXELS = 100_000_000;
export const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp', 'tiff'] as const;
export const THUMBNAIL_EDGE = 320;
export const PREVIEW_EDGE = 1600;

/** The processor's verdicts; `upload_missing` is decided before it runs. */
export type PhotoRejection = Exclude<ServerPhotoFailure, 'upload_missing'>;

export interface ProcessedPhoto {
  readonly format: (typeof ACCEPTED_FORMATS)[number];
  /** Pixel size after EXIF orientation is applied: what the editor and print see. */
  readonly width: number;
  readonly height: number;
  readonly orientation: number;
  /** EXIF DateTimeOriginal as the camera's wall clock (no zone): `YYYY-MM-DDTHH:MM:SS`. */
  readonly takenAtLocal: string | null;
  /** JPEGs, oriented, with GPS and all other metadata stripped. */
  readonly thumbnail: Buffer;
  readonly preview: Buffer;
}

export type ProcessResult =
  | { readonly ok: true; readonly photo: ProcessedPhoto }
  | { readonly ok: false; readonly reason: PhotoRejection; readonly message: string };

const reject = (reason: PhotoRejection, message: string): ProcessResult => ({
  ok: false,
  reason,
  message,
});

/** Reads the object once, hashing as it goes, refusing more bytes than claimed. */
async function readVerified(
  body: Readable,
  claimedSize: number,
): Promise<{ data: Buffer; sha256: string } | null> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > claimedSize) {
      body.destroy();
      return null;
    }
    hash.update(buffer);
    chunks.push(buffer);
  }
  if (size !== claimedSize) return null;
  return { data: Buffer.concat(chunks), sha256: hash.digest('hex') };
}

function takenAt(exif: Buffer | undefined): string | null {
  if (!exif) return null;
  try {
    const date = exifReader(exif).Photo?.DateTimeOriginal;
    // exif-reader reads the zone-less EXIF wall clock as if it were UTC; keep it as wall clock.
    return date instanceof Date && !Number.isNaN(date.getTime())
      ? date.toISOString().slice(0, 19)
      : null;
  } catch {
    return null; // unreadable EXIF is not a reason to refuse the photo
  }
}

/**
 * Verifies an uploaded original against what the client claimed (size, SHA-256), checks that it
 * is an image we accept within the pixel limit, and makes the derivatives. Never trusts the
 * S3 server to have checked anything.
 */
export async function processPhoto(
  body: Readable,
  claim: { size: number; sha256: string },
): Promise<ProcessResult> {
  const read = await readVerified(body, claim.size);
  if (!read) return reject('size_mismatch', 'the uploaded file does not have the declared size');
  if (read.sha256 !== claim.sha256.toLowerCase()) {
    return reject('hash_mismatch', 'the uploaded file does not match its SHA-256');
  }
  let meta: Metadata;
  try {
    meta = await sharp(read.data, { limitInputPixels: false }).metadata();
  } catch {
    return reject('not_an_image', 'the file is not an image');
  }
  const format = ACCEPTED_FORMATS.find((f) => f === meta.format);
  if (!format) {
    return reject(
      'unsupported_format',
      `images must be JPEG, PNG, WebP or TIFF (got ${meta.format})`,
    );
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_PIXELS) {
    return reject('too_many_pixels', `images may have at most ${MAX_PIXELS / 1e6} megapixels`);
  }
  const orientation = meta.orientation ?? 1;
  const swapsAxes = orientation >= 5 && orientation <= 8;
  try {
    // failOn 'truncated' refuses a cut-off file instead of decoding grey bands into the album.
    const source = () =>
      sharp(read.data, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' }).rotate();
    const derive = (edge: number) =>
      source()
        .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 82 })
        .toBuffer();
    const [thumbnail, preview] = await Promise.all([derive(THUMBNAIL_EDGE), derive(PREVIEW_EDGE)]);
    return {
      ok: true,
      photo: {
        format,
        width: swapsAxes ? height : width,
        height: swapsAxes ? width : height,
        orientation,
        takenAtLocal: takenAt(meta.exif),
        thumbnail,
        preview,
      },
    };
  } catch {
    return reject('corrupt_image', 'the image is damaged or incomplete and cannot be decoded');
  }
}
