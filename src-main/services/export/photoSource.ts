import { open, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { PhotoPlan } from './photoPlan.js';

/** What export knows of a photo: the user's original file and its oriented pixel size. */
export interface ExportPhoto {
  readonly filePath: string;
  readonly width: number;
  readonly height: number;
  /** Photos whose original is gone from the server and the disk are `expired`. */
  readonly state: string;
  /**
   * A photo another computer uploaded has no file here: this fetches its original from the
   * server (or finds it in the cache) and answers its path; `filePath` is not used then.
   */
  readonly fetchFile?: () => Promise<string>;
}

/** Bytes PDFKit embeds as they are: JPEG (DCT data copied) and PNG (IDAT data copied). */
export type EmbeddableImage = { readonly bytes: Buffer; readonly passedThrough: boolean };

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47];
const startsWith = (head: Buffer, magic: number[]) => magic.every((b, i) => head[i] === b);

async function head(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(8);
    await file.read(buffer, 0, 8, 0);
    return buffer;
  } finally {
    await file.close();
  }
}

/** Re-encoding quality for downsampled (and non-JPEG/PNG) photos: visually lossless in print. */
const JPEG_QUALITY = 92;

/**
 * Loads one photo for one frame. JPEG and PNG originals at or below the pass-through limit are
 * embedded byte for byte (PDFKit applies the JPEG's EXIF orientation when drawing). Above the
 * limit, or for WebP and TIFF, sharp decodes, orients, resamples and crops: sharp's work runs on
 * libuv's worker threads, off the main thread, and `limit` bounds how many run at once.
 * Null when the file is missing or unreadable (or cannot be fetched): the caller draws a
 * placeholder.
 */
export async function loadPhoto(
  photo: ExportPhoto,
  plan: Exclude<PhotoPlan, { kind: 'invisible' }>,
  limit: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<EmbeddableImage | null> {
  try {
    const filePath = photo.fetchFile ? await photo.fetchFile() : photo.filePath;
    if (plan.kind === 'pass-through') {
      const first = await head(filePath);
      if (startsWith(first, JPEG) || startsWith(first, PNG)) {
        return { bytes: await readFile(filePath), passedThrough: true };
      }
      const bytes = await limit(() =>
        sharp(filePath).rotate().jpeg({ quality: JPEG_QUALITY }).toBuffer(),
      );
      return { bytes, passedThrough: false };
    }
    const bytes = await limit(() =>
      sharp(filePath)
        .rotate()
        .resize(plan.resizeTo.widthPx, plan.resizeTo.heightPx, { fit: 'fill' })
        .extract(plan.extract)
        .jpeg({ quality: JPEG_QUALITY })
        .toBuffer(),
    );
    return { bytes, passedThrough: false };
  } catch {
    return null;
  }
}

/** A tiny semaphore: at most `n` pieces of work at once. */
export function concurrencyLimit(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    // A finishing job hands its slot straight to the next waiter, so `running` never exceeds n.
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
