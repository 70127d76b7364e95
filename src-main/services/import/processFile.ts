/**
 * One file, start to finish, as a worker thread runs it: read once while hashing, ask whether
 * the album already has it, check the header, read EXIF, write the thumbnail atomically.
 * Never throws for a bad file: every way a file can be bad is an outcome with a reason.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import { errorMessage } from './errorMessage.js';
import type { ImportFailureReason, ImportedPhoto } from './importTypes.js';
import { SNIFF_BYTES, sniffFormat } from './sniffFormat.js';

/** Decompression-bomb guard, as on the server: refused from the header, before decoding. */
export const MAX_PIXELS = 100_000_000;
export const THUMBNAIL_EDGE = 320;
export const THUMBNAIL_QUALITY = 80;
/** Up to this size a file is read once into memory and decoded from there; above, it is
 * hashed as a stream and libvips reads it from disk itself. */
export const IN_MEMORY_LIMIT = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp', 'tiff'] as const;

export interface ProcessFileRequest {
  readonly path: string;
  readonly thumbnailsDir: string;
}

export type ProcessedFile = Omit<ImportedPhoto, 'filePath' | 'fileName'>;

export type ProcessFileOutcome =
  | { readonly kind: 'processed'; readonly file: ProcessedFile }
  | { readonly kind: 'duplicate'; readonly sha256: string; readonly byteSize: number }
  | {
      readonly kind: 'failed';
      readonly reason: ImportFailureReason;
      readonly message: string;
      readonly sha256: string | null;
      readonly byteSize: number | null;
    };
type Failed = Extract<ProcessFileOutcome, { kind: 'failed' }>;

/** Asked once the file is hashed: false when the album already has it, so the rest is skipped. */
export type DecideAfterHash = (sha256: string, byteSize: number) => boolean | Promise<boolean>;

const failed = (
  reason: ImportFailureReason,
  message: string,
  sha256: string | null = null,
  byteSize: number | null = null,
): Failed => ({ kind: 'failed', reason, message, sha256, byteSize });

export async function processFile(
  request: ProcessFileRequest,
  decide: DecideAfterHash,
): Promise<ProcessFileOutcome> {
  const read = await readAndHash(request.path);
  if ('kind' in read) return read;
  const { sha256, byteSize, input } = read;
  if (!(await decide(sha256, byteSize))) return { kind: 'duplicate', sha256, byteSize };
  const fail = (reason: ImportFailureReason, message: string) =>
    failed(reason, message, sha256, byteSize);

  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    // The first bytes said "image", so a header libvips cannot read is a damaged image.
    return fail('corrupt_image', `unreadable image header: ${errorMessage(error)}`);
  }
  const format = ACCEPTED_FORMATS.find((f) => f === meta.format);
  if (!format) return fail('unsupported_format', `format ${meta.format}`);
  const { width = 0, height = 0 } = meta;
  if (width <= 0 || height <= 0) return fail('corrupt_image', 'the header gives no size');
  if (width * height > MAX_PIXELS) {
    return fail('too_many_pixels', `${width} x ${height} is over ${MAX_PIXELS / 1e6} MP`);
  }

  const exif = await readExif(input);
  const swapsAxes = (meta.orientation ?? 1) >= 5; // what sharp's rotate() will apply
  const thumbnailPath = join(request.thumbnailsDir, `${sha256}.jpg`);
  // Named by content: an existing thumbnail was made from these very bytes (and renamed into
  // place only when complete), e.g. when the photo is also in another album.
  if (!(await exists(thumbnailPath))) {
    let jpeg: Buffer;
    try {
      jpeg = await sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' })
        .rotate()
        .resize({
          width: THUMBNAIL_EDGE,
          height: THUMBNAIL_EDGE,
          fit: 'inside',
          withoutEnlargement: true,
        })
        .jpeg({ quality: THUMBNAIL_QUALITY })
        .toBuffer();
    } catch (error) {
      return fail('corrupt_image', `cannot decode: ${errorMessage(error)}`);
    }
    try {
      await writeAtomically(thumbnailPath, jpeg);
    } catch (error) {
      return fail('cannot_write_thumbnail', errorMessage(error));
    }
  }
  return {
    kind: 'processed',
    file: {
      sha256,
      byteSize,
      format,
      width: swapsAxes ? height : width,
      height: swapsAxes ? width : height,
      orientation: exif.orientation ?? meta.orientation ?? null,
      takenAtLocal: exif.takenAtLocal,
      thumbnailPath,
    },
  };
}

interface ReadFile {
  readonly sha256: string;
  readonly byteSize: number;
  /** The bytes when small enough to keep, else the path for libvips to read. */
  readonly input: Buffer | string;
}

/** Reads the file once, hashing as it goes; refuses non-images after the first chunk. */
async function readAndHash(path: string): Promise<ReadFile | Failed> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not hang the worker (it is refused just below).
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return failed('unreadable', errorMessage(error));
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return failed('unreadable', 'not a regular file');
    if (stat.size === 0) return failed('empty_file', 'the file has 0 bytes', null, 0);
    const keep = stat.size <= IN_MEMORY_LIMIT;
    const buffer = Buffer.allocUnsafe(keep ? stat.size : CHUNK);
    const hash = createHash('sha256');
    let total = 0;
    for (;;) {
      const into = keep ? buffer.subarray(total, Math.min(stat.size, total + CHUNK)) : buffer;
      if (into.length === 0) break; // kept the size stat gave; bytes appended later are not ours
      const { bytesRead } = await handle.read(into, 0, into.length, total);
      if (bytesRead === 0) break;
      if (total === 0) {
        const head = into.subarray(0, bytesRead);
        const sniffed = sniffFormat(head.subarray(0, SNIFF_BYTES));
        if (sniffed === 'unknown') return failed('not_an_image', 'not an image by its content');
        if (sniffed === 'unsupported_image') {
          return failed('unsupported_format', 'an image format that is not accepted');
        }
      }
      hash.update(into.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total === 0) return failed('empty_file', 'the file has 0 bytes', null, 0);
    return {
      sha256: hash.digest('hex'),
      byteSize: total,
      input: keep ? buffer.subarray(0, total) : path,
    };
  } catch (error) {
    return failed('unreadable', errorMessage(error));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

interface ExifFacts {
  readonly orientation: number | null;
  readonly takenAtLocal: string | null;
}

async function readExif(input: Buffer | string): Promise<ExifFacts> {
  try {
    const tags = (await exifr.parse(input, {
      pick: ['DateTimeOriginal', 'Orientation'],
      reviveValues: false,
      translateValues: false,
    })) as { DateTimeOriginal?: unknown; Orientation?: unknown } | undefined;
    const orientation = tags?.Orientation;
    return {
      orientation:
        typeof orientation === 'number' && orientation >= 1 && orientation <= 8
          ? orientation
          : null,
      takenAtLocal: exifWallClock(tags?.DateTimeOriginal),
    };
  } catch {
    return { orientation: null, takenAtLocal: null }; // broken EXIF never refuses a photo
  }
}

/** `2026:07:15 09:30:00` (EXIF, no zone) to `2026-07-15T09:30:00`; null when not a real date. */
export function exifWallClock(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ok =
    y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
  if (!ok) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

const exists = (path: string): Promise<boolean> =>
  fs.access(path).then(
    () => true,
    () => false,
  );

/** Temporary name in the same folder, then rename: a reader never sees half a thumbnail. */
export async function writeAtomically(path: string, data: Buffer): Promise<void> {
  const dir = join(path, '..');
  const temporary = join(dir, `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    await fs.writeFile(temporary, data, { flag: 'wx' });
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Thumbnails being written; a process killed mid-write leaves one, removed at next start. */
export const TEMPORARY_PREFIX = '.partial-';
