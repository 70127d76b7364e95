/** What the upload queue did, for logs and tests (never file contents or URLs). */
export type UploadLogEvent =
  | { kind: 'uploaded'; photoId: string; serverPhotoId: string; status: string; dedup: boolean }
  | { kind: 'failed'; photoId: string; reason: string }
  | { kind: 'retry'; photoId: string; error: string; retryAt: number }
  | { kind: 'put'; photoId: string; bytes: number }
  /** The upload was started (or resumed) on the server; `ahead`: in a batch call before. */
  | { kind: 'started'; photoId: string; ahead: boolean }
  | { kind: 'part'; photoId: string; partNumber: number; action: 'put' | 'recorded' | 'skipped' }
  /** Paused: a look at the queue found photos waiting and sent none (once per pause). */
  | { kind: 'held'; queued: number }
  | { kind: 'error'; message: string };
