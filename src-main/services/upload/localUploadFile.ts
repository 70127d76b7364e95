/**
 * The local side of an upload: the file must still be the one imported (same size, an accepted
 * image type), and file-system errors become the photo's stable failure reasons.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AcceptedContentType } from '../../../src-shared/cloud/uploads.js';
import type { LocalUploadFailure } from '../../../src-shared/library/failureReasons.js';
import { SNIFF_BYTES, sniffFormat } from '../import/sniffFormat.js';
import type { PhotoRecord } from '../store/photoRepository.js';
import type { UploadRequest } from './uploadCalls.js';

const CONTENT_TYPES = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
} as const satisfies Record<string, AcceptedContentType>;

/** The bytes to send: their accepted content type and size, as the file was imported. */
export interface LocalFile {
  readonly contentType: AcceptedContentType;
  readonly size: number;
}

/** A failure that retrying cannot fix: the photo fails with `reason`. */
export class PermanentFailure extends Error {
  constructor(
    readonly reason: LocalUploadFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The local file as imported: same size, an accepted image type. */
export async function readLocalFile(photo: PhotoRecord): Promise<LocalFile> {
  const size = photo.byteSize ?? 0;
  try {
    const info = await stat(photo.filePath);
    if (!info.isFile() || info.size !== size) {
      throw new PermanentFailure(
        'file_changed',
        `the file has ${info.size} bytes now, ${size} when imported`,
      );
    }
    const handle = await open(photo.filePath, 'r');
    const head = Buffer.alloc(SNIFF_BYTES);
    try {
      await handle.read(head, 0, SNIFF_BYTES, 0);
    } finally {
      await handle.close();
    }
    const format = sniffFormat(head);
    if (!(format in CONTENT_TYPES)) {
      throw new PermanentFailure('unsupported_format', `the file is no longer a ${format} image`);
    }
    return { contentType: CONTENT_TYPES[format as keyof typeof CONTENT_TYPES], size };
  } catch (error) {
    throw localFileError(error);
  }
}

export const uploadRequest = (
  photo: PhotoRecord,
  sha256: string,
  file: LocalFile,
): UploadRequest => ({
  sha256,
  size: file.size,
  fileName: basename(photo.filePath).slice(0, 255),
  contentType: file.contentType,
});

/** A file-system error as the photo's failure (missing, unreadable); any other as it was. */
export function localFileError(error: unknown): unknown {
  if (error instanceof PermanentFailure) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new PermanentFailure('file_missing', 'the file is no longer where it was imported');
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'EIO') {
    return new PermanentFailure('file_unreadable', (error as Error).message);
  }
  return error;
}
