/**
 * What photo import needs from the rest of the app, and what it hands back. The local store
 * implements `ImportSink`; import never depends on the store's own API.
 */

/** Stable reason codes of a file that could not be imported (shown with IMPORT_FAILURE_MESSAGES). */
export const IMPORT_FAILURE_REASONS = [
  'not_an_image',
  'unsupported_format',
  'corrupt_image',
  'empty_file',
  'unreadable',
  'too_many_pixels',
  'cannot_write_thumbnail',
  'internal_error',
] as const;
export type ImportFailureReason = (typeof IMPORT_FAILURE_REASONS)[number];

/** What the user reads, in Japanese and English, for each reason. */
export const IMPORT_FAILURE_MESSAGES: Record<ImportFailureReason, { ja: string; en: string }> = {
  not_an_image: { ja: '画像ファイルではありません', en: 'The file is not an image.' },
  unsupported_format: {
    ja: '対応していない画像形式です（JPEG・PNG・WebP・TIFF のみ）',
    en: 'This image format is not supported (JPEG, PNG, WebP and TIFF only).',
  },
  corrupt_image: {
    ja: '画像が壊れているか途中で切れています',
    en: 'The image is damaged or incomplete.',
  },
  empty_file: { ja: 'ファイルが空です（0 バイト）', en: 'The file is empty (0 bytes).' },
  unreadable: {
    ja: 'ファイルを読み込めません（権限がない、または見つかりません）',
    en: 'The file cannot be read (no permission, or it no longer exists).',
  },
  too_many_pixels: {
    ja: '画素数が多すぎます（1 億画素まで）',
    en: 'The image has too many pixels (at most 100 megapixels).',
  },
  cannot_write_thumbnail: {
    ja: 'サムネイルを保存できません（ディスクの空き容量を確認してください）',
    en: 'The thumbnail could not be saved (check the free disk space).',
  },
  internal_error: {
    ja: '取り込み中に予期しないエラーが発生しました',
    en: 'An unexpected error stopped the import of this file.',
  },
};

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
  /** Technical detail for logs; the user sees IMPORT_FAILURE_MESSAGES. */
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
