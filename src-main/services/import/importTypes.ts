/**
 * What photo import needs from the rest of the app, and what it hands back. The local store
 * implements `ImportSink`; import never depends on the store's own API.
 */
import type { ImportFailureReason } from '../../../src-shared/library/failureReasons.js';

export type { ImportFailureReason };

/** A photo ready to be recorded: everything import learned about one file. */
export interface ImportedPhoto {
  readonly sha256: string;
  /** Absolute path of the user's file; import copies nothing. */
  readonly filePath: string;
  readonly fileName: string;
  readonly byteSize: number;
  readonly format: 'jpeg' | 'png' | 'webp' | 'tiff';
  /** Pixel size with EXIF orientation applied: what the editor and print see. */
  readonly width: number;
  readonly height: number;
  /** EXIF orientation 1-8, null when the file has none. */
  readonly orientation: number | null;
  /** EXIF DateTimeOriginal as the camera's wall clock (no zone): `YYYY-MM-DDTHH:MM:SS`. */
  readonly takenAtLocal: string | null;
  /** Absolute path of the 320 px JPEG thumbnail, named by the hash. */
  readonly thumbnailPath: string;
}

export interface ImportFailure {
  readonly path: string;
  readonly reason: ImportFailureReason;
  /** Technical detail for logs; the user sees the renderer's `failure.<reason>` sentence. */
  readonly message: string;
  readonly sha256?: string | null;
  readonly byteSize?: number | null;
}

/**
 * Where imported photos go. `record` must be durable when it returns (a committed SQLite
 * transaction): only then does import count the photo as done.
 */
export interface ImportSink {
  /** SHA-256 (hex) of the photos already in the album, for duplicate detection. */
  knownHashes(albumId: string): ReadonlySet<string> | Promise<ReadonlySet<string>>;
  record(albumId: string, photo: ImportedPhoto): void | Promise<void>;
  /** Optional: keep failed files as `failed` photos so the library can list them. */
  recordFailure?(albumId: string, failure: ImportFailure): void | Promise<void>;
}

export interface ImportSummary {
  readonly batchId: string;
  readonly albumId: string;
  readonly total: number;
  readonly imported: readonly ImportedPhoto[];
  readonly skippedDuplicates: number;
  readonly failures: readonly ImportFailure[];
  /** True when the signal stopped the batch before every file was looked at. */
  readonly cancelled: boolean;
}
