import type { Database } from 'better-sqlite3';
import { z } from 'zod';

export const UPLOAD_STEPS = ['check', 'request', 'put', 'parts', 'complete'] as const;
export type UploadStep = (typeof UPLOAD_STEPS)[number];

export interface PartDone {
  readonly partNumber: number;
  readonly etag: string;
}

export interface UploadItem {
  readonly photoId: string;
  readonly albumId: string;
  readonly step: UploadStep;
  readonly uploadId: string | null;
  readonly partsDone: PartDone[];
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

interface QueueRow {
  photo_id: string;
  album_id: string;
  step: UploadStep;
  upload_id: string | null;
  parts_done: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

const PartsSchema = z.array(z.strictObject({ partNumber: z.int().min(1), etag: z.string() }));

const item = (r: QueueRow): UploadItem => {
  const parts = PartsSchema.safeParse(JSON.parse(r.parts_done));
  return {
    photoId: r.photo_id,
    albumId: r.album_id,
    step: r.step,
    uploadId: r.upload_id,
    // Damaged part records only cost a re-upload of the parts, never a lost photo.
    partsDone: parts.success ? parts.data : [],
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
  };
};

const SELECT = `SELECT q.photo_id, p.album_id, q.step, q.upload_id, q.parts_done, q.attempts,
                       q.next_attempt_at, q.last_error
                  FROM upload_queue q JOIN photos p ON p.id = q.photo_id`;

/** The persisted upload queue: one row per photo until the server has it. */
export function createUploadQueueRepository(db: Database, now: () => Date) {
  const due = db.prepare<[number], QueueRow>(
    `${SELECT} WHERE q.next_attempt_at <= ? ORDER BY q.next_attempt_at, q.enqueued_at, q.photo_id`,
  );
  const one = db.prepare<[string], QueueRow>(`${SELECT} WHERE q.photo_id = ?`);
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM upload_queue');
  const pending = db.prepare<
    [],
    { photo_id: string; album_id: string; file_path: string; byte_size: number | null }
  >(
    `SELECT q.photo_id, p.album_id, p.file_path, p.byte_size
       FROM upload_queue q JOIN photos p ON p.id = q.photo_id
      ORDER BY q.enqueued_at, q.photo_id`,
  );
  const earliest = db.prepare<[], { at: number | null }>(
    'SELECT min(next_attempt_at) AS at FROM upload_queue',
  );
  const advance = db.prepare(
    `UPDATE upload_queue SET step = @step, upload_id = @uploadId, parts_done = @partsDone,
            attempts = 0, last_error = NULL, next_attempt_at = @at
      WHERE photo_id = @photoId`,
  );
  const retry = db.prepare(
    `UPDATE upload_queue SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
      WHERE photo_id = ?`,
  );
  const dequeue = db.prepare('DELETE FROM upload_queue WHERE photo_id = ?');
  const enqueue = db.prepare(
    `INSERT INTO upload_queue (photo_id, step, next_attempt_at, enqueued_at)
     VALUES (?, 'check', ?, ?) ON CONFLICT (photo_id) DO NOTHING`,
  );
  const photoState = db.prepare(
    `UPDATE photos SET state = @state, failure_reason = @reason,
            server_photo_id = coalesce(@serverPhotoId, server_photo_id), updated_at = @at
      WHERE id = @photoId`,
  );

  const ms = () => now().getTime();
  const iso = () => now().toISOString();
  const setPhoto = (
    photoId: string,
    state: string,
    reason: string | null = null,
    serverPhotoId: string | null = null,
  ) => photoState.run({ photoId, state, reason, serverPhotoId, at: iso() });

  const advanceTx = db.transaction(
    (
      photoId: string,
      to: { step: UploadStep; uploadId?: string | null; partsDone?: readonly PartDone[] },
    ): boolean => {
      const current = one.get(photoId);
      if (!current) return false;
      advance.run({
        photoId,
        step: to.step,
        uploadId: to.uploadId === undefined ? current.upload_id : to.uploadId,
        partsDone: to.partsDone === undefined ? current.parts_done : JSON.stringify(to.partsDone),
        at: ms(),
      });
      setPhoto(photoId, 'uploading');
      return true;
    },
  );

  const completeTx = db.transaction((photoId: string, serverPhotoId: string): boolean => {
    if (dequeue.run(photoId).changes === 0) return false;
    setPhoto(photoId, 'uploaded', null, serverPhotoId);
    return true;
  });

  const failTx = db.transaction((photoId: string, reason: string): boolean => {
    if (dequeue.run(photoId).changes === 0) return false;
    setPhoto(photoId, 'failed', reason);
    return true;
  });

  const requeueTx = db.transaction((photoId: string): boolean => {
    if (enqueue.run(photoId, ms(), ms()).changes === 0) return false;
    setPhoto(photoId, 'queued');
    return true;
  });

  return {
    /** Items due now, oldest first, skipping those the caller already has in flight. */
    next: (options: { limit: number; excluding?: ReadonlySet<string> }): UploadItem[] => {
      const out: UploadItem[] = [];
      for (const r of due.iterate(ms())) {
        if (options.excluding?.has(r.photo_id)) continue;
        out.push(item(r));
        if (out.length >= options.limit) break;
      }
      return out;
    },
    get: (photoId: string): UploadItem | null => {
      const r = one.get(photoId);
      return r ? item(r) : null;
    },
    count: (): number => count.get()!.n,
    /** Every queued photo, due or waiting, with what progress reporting needs. */
    pending: (): { photoId: string; albumId: string; filePath: string; byteSize: number }[] =>
      pending.all().map((r) => ({
        photoId: r.photo_id,
        albumId: r.album_id,
        filePath: r.file_path,
        byteSize: r.byte_size ?? 0,
      })),
    /** When the earliest waiting item becomes due (ms since epoch), null if the queue is empty. */
    nextDueAt: (): number | null => earliest.get()!.at,
    /** Records a finished step (and the multipart upload id or parts done so far). */
    advance: (
      photoId: string,
      to: { step: UploadStep; uploadId?: string | null; partsDone?: readonly PartDone[] },
    ) => advanceTx(photoId, to),
    /** A transient failure: try again at `retryAt` (ms since epoch). */
    retryLater: (photoId: string, failure: { error: string; retryAt: number }): boolean =>
      retry.run(failure.error, failure.retryAt, photoId).changes > 0,
    /** The server has the photo: leaves the queue and the photo is `uploaded`, together. */
    complete: (photoId: string, serverPhotoId: string) => completeTx(photoId, serverPhotoId),
    /** A permanent failure (4xx): leaves the queue, the photo is `failed` with the reason. */
    fail: (photoId: string, reason: string) => failTx(photoId, reason),
    /** Puts a failed or imported photo back in the queue from the first step. */
    requeue: (photoId: string) => requeueTx(photoId),
  };
}

export type UploadQueueRepository = ReturnType<typeof createUploadQueueRepository>;
