/**
 * Every reason a photo can fail for that the UI may show, one list per side. The renderer's
 * catalogues have a `failure.<reason>` sentence for each, in Japanese and English (a test walks
 * these lists).
 */

/** A file that could not be imported on this computer. */
export const IMPORT_FAILURE_REASONS = [
  'not_an_image',
  'unsupported_format',
  'corrupt_image',
  'empty_file',
  'unreadable',
  'file_name_not_utf8',
  'too_many_pixels',
  'cannot_write_thumbnail',
  'internal_error',
] as const;
export type ImportFailureReason = (typeof IMPORT_FAILURE_REASONS)[number];

/** A photo that cannot be uploaded, found on this side. */
export const LOCAL_UPLOAD_FAILURES = [
  'file_missing',
  'file_unreadable',
  'file_changed',
  'unsupported_format',
  'not_uploadable',
] as const;
export type LocalUploadFailure = (typeof LOCAL_UPLOAD_FAILURES)[number];

/** A photo Weebum Cloud refused after its upload (the processor's verdicts). */
export const SERVER_PHOTO_FAILURES = [
  'size_mismatch',
  'hash_mismatch',
  'not_an_image',
  'unsupported_format',
  'too_many_pixels',
  'corrupt_image',
  'upload_missing',
] as const;
export type ServerPhotoFailure = (typeof SERVER_PHOTO_FAILURES)[number];

/** What the desktop says of a server refusal that came without a reason. */
export const UNKNOWN_REFUSAL = 'refused';
