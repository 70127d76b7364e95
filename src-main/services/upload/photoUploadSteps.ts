/**
 * One photo's way to the server through its persisted steps: check (dedup) -> request (start or
 * resume on the server) -> put, or parts -> complete. Each step is written to the store before
 * the next one starts, so a process killed at any moment continues where it stopped, and a
 * failed attempt fails the photo for good or retries it later.
 */
import { MAX_CHECK_HASHES } from '../../../src-shared/cloud/uploads.js';
import { UNKNOWN_REFUSAL } from '../../../src-shared/library/failureReasons.js';
import { CloudError } from '../cloud/cloudError.js';
import type { LocalStore } from '../store/localStore.js';
import type { PhotoRecord } from '../store/photoRepository.js';
import type { PartDone, UploadItem } from '../store/uploadQueueRepository.js';
import { TransferError, type BlobTransfer } from './blobTransfer.js';
import {
  localFileError,
  PermanentFailure,
  readLocalFile,
  uploadRequest,
} from './localUploadFile.js';
import type { ReadinessWatcher } from './readinessWatcher.js';
import type { ServerPhoto, UploadCalls } from './uploadCalls.js';
import type { UploadLogEvent } from './uploadLogEvent.js';
import type { UploadBatches } from './uploadProgress.js';
import { groupByAlbum, type UploadsStartedAhead } from './uploadsStartedAhead.js';
import { outcomeOfFailure, type RetrySettings } from './uploadRetry.js';

/** The server lost the upload (or parts of it): the photo starts over from the check. */
class StartOver extends Error {
  constructor(override readonly cause: CloudError) {
    super(cause.message);
  }
  readonly code = 'start_over';
}

export interface PhotoUploadStepsOptions {
  readonly store: LocalStore;
  readonly calls: UploadCalls;
  readonly transfer: BlobTransfer;
  readonly batches: UploadBatches;
  readonly readiness: Pick<ReadinessWatcher, 'watch'>;
  readonly startedAhead: Pick<UploadsStartedAhead, 'take'>;
  readonly now: () => Date;
  readonly random: () => number;
  readonly retry?: RetrySettings;
  readonly log: (event: UploadLogEvent) => void;
}

export function createPhotoUploadSteps(options: PhotoUploadStepsOptions) {
  const { store, calls, transfer, batches, log } = options;
  const queue = store.uploadQueue;

  const finish = (photo: PhotoRecord, server: ServerPhoto, dedup: boolean) => {
    const mine = store.transaction(() => {
      if (!queue.complete(photo.id, server.id)) return false;
      if (server.status === 'ready') store.photos.setState(photo.id, server.status);
      return true;
    });
    if (mine && server.status !== 'ready') {
      // Still being processed on the server: it counts as done (or failed) once it is ready.
      options.readiness.watch(photo.id, photo.albumId, server.id);
    } else {
      batches.done(photo.id);
    }
    log({
      kind: 'uploaded',
      photoId: photo.id,
      serverPhotoId: server.id,
      status: server.status,
      dedup,
    });
  };

  const fail = (photoId: string, reason: string) => {
    queue.fail(photoId, reason);
    batches.failed(photoId, reason);
    log({ kind: 'failed', photoId, reason });
  };

  async function complete(photo: PhotoRecord, serverId: string): Promise<void> {
    let server: ServerPhoto;
    try {
      server = await calls.complete(photo.albumId, serverId);
    } catch (error) {
      if (
        error instanceof CloudError &&
        (error.status === 404 || error.code === 'upload_incomplete')
      ) {
        // The upload is gone (cleaned up after 24 h) or lacks parts: start over from the check,
        // with backoff so that a server that keeps answering this cannot spin the queue.
        queue.advance(photo.id, { step: 'check', uploadId: null, partsDone: [] });
        throw new StartOver(error);
      }
      throw error;
    }
    if (server.status === 'failed') fail(photo.id, server.failure?.reason ?? UNKNOWN_REFUSAL);
    else finish(photo, server, false);
  }

  async function upload(photo: PhotoRecord, sha256: string, signal: AbortSignal): Promise<void> {
    const file = await readLocalFile(photo);
    const { size } = file;
    signal.throwIfAborted();
    const ahead = options.startedAhead.take(photo.id);
    const answer = ahead ?? (await calls.start(photo.albumId, uploadRequest(photo, sha256, file)));
    log({ kind: 'started', photoId: photo.id, ahead: ahead !== undefined });
    signal.throwIfAborted();
    if (answer.duplicate || answer.upload === null) {
      finish(photo, answer.photo, true);
      return;
    }
    const serverId = answer.photo.id;
    const onBytes = (n: number) => batches.sent(photo.id, n);
    const session = answer.upload;
    if (session.kind === 'single') {
      // Not recorded before the PUT: a restart in the middle asks the server again, which
      // resumes this same upload with a fresh URL (one commit less per photo).
      await transfer.putFile(session.url, {
        file: photo.filePath,
        length: size,
        headers: session.headers ?? {},
        signal,
        onBytes,
      });
      log({ kind: 'put', photoId: photo.id, bytes: size });
    } else {
      // Parts recorded here but not on the server (killed in between) are reported now: their
      // bytes are in the multipart upload already. Parts the server has are skipped.
      const before = queue.get(photo.id);
      const mine = new Map(
        (before?.uploadId === serverId ? before.partsDone : []).map((p) => [p.partNumber, p]),
      );
      const recorded = new Map(session.completedParts.map((p) => [p.partNumber, p]));
      queue.advance(photo.id, { step: 'parts', uploadId: serverId, partsDone: [...mine.values()] });
      for (const part of mine.values()) {
        if (recorded.has(part.partNumber)) continue;
        signal.throwIfAborted();
        await calls.recordPart(photo.albumId, serverId, part);
        recorded.set(part.partNumber, part);
        log({ kind: 'part', photoId: photo.id, partNumber: part.partNumber, action: 'recorded' });
      }
      for (const part of session.parts) {
        if (recorded.has(part.partNumber)) {
          onBytes(part.size);
          log({ kind: 'part', photoId: photo.id, partNumber: part.partNumber, action: 'skipped' });
          continue;
        }
        signal.throwIfAborted();
        const { etag } = await transfer.putFile(part.url, {
          file: photo.filePath,
          start: (part.partNumber - 1) * session.partSize,
          length: part.size,
          signal,
          onBytes,
        });
        if (etag === null) {
          throw new TransferError(
            'etag_missing',
            'the storage answered a part without an ETag',
            502,
          );
        }
        const done: PartDone = { partNumber: part.partNumber, etag };
        mine.set(part.partNumber, done);
        // In the store first: if the process dies before the server hears of the part, the
        // next run reports it from here instead of sending its bytes again.
        queue.advance(photo.id, { step: 'parts', partsDone: [...mine.values()] });
        log({ kind: 'part', photoId: photo.id, partNumber: part.partNumber, action: 'put' });
        await calls.recordPart(photo.albumId, serverId, done);
        recorded.set(part.partNumber, done);
      }
    }
    // Completion takes a slot of its own (the loop picks the item up again at once): the
    // server verifies and processes the photo meanwhile, and the next transfer need not wait.
    queue.advance(photo.id, { step: 'complete', uploadId: serverId });
  }

  /** A failed attempt: fail the photo for good, or retry later. */
  function settle(photo: PhotoRecord, thrown: unknown): void {
    const outcome = outcomeOfFailure(localFileError(thrown), queue.get(photo.id)?.attempts ?? 0, {
      nowMs: options.now().getTime(),
      random: options.random,
      retry: options.retry,
    });
    if ('fail' in outcome) return fail(photo.id, outcome.fail);
    queue.retryLater(photo.id, outcome);
    log({ kind: 'retry', photoId: photo.id, error: outcome.error, retryAt: outcome.retryAt });
  }

  return {
    /** One attempt at the item's step and those after it; `signal` aborts it (pause, stop). */
    async run(item: UploadItem, signal: AbortSignal): Promise<void> {
      const photo = store.photos.get(item.photoId);
      if (!photo) return; // dropped with its album meanwhile: the queue row went with it
      batches.join([{ ...photo, photoId: photo.id, byteSize: photo.byteSize ?? 0 }]);
      try {
        if (photo.sha256 === null || photo.byteSize === null) {
          throw new PermanentFailure('not_uploadable', 'the photo has no hash or size');
        }
        if (item.step === 'check') {
          const existing = (await calls.checkHashes(photo.albumId, [photo.sha256])).get(
            photo.sha256,
          );
          if (existing && existing.status !== 'uploading') {
            finish(photo, existing, true);
            return;
          }
          queue.advance(photo.id, { step: 'request', uploadId: null, partsDone: [] });
        }
        signal.throwIfAborted();
        if (item.step === 'complete' && item.uploadId !== null) {
          await complete(photo, item.uploadId);
          return;
        }
        await upload(photo, photo.sha256, signal);
      } catch (error) {
        batches.resetSent(photo.id);
        if (signal.aborted) return; // paused or stopping: the item stays at its persisted step
        settle(photo, error);
      }
    },

    /**
     * One check call for every due photo at the check step (Immich's bulk-upload-check), but
     * not those in `inflight`.
     */
    async checkDue(inflight: ReadonlyMap<string, unknown>): Promise<void> {
      const due = queue
        .next({ limit: MAX_CHECK_HASHES, excluding: new Set(inflight.keys()) })
        .filter((item) => item.step === 'check');
      const entries: { item: UploadItem; photo: PhotoRecord & { sha256: string } }[] = [];
      for (const item of due) {
        const photo = store.photos.get(item.photoId);
        if (!photo?.sha256) continue; // its own attempt fails it with its reason
        entries.push({ item, photo: { ...photo, sha256: photo.sha256 } });
      }
      for (const [albumId, album] of groupByAlbum(entries)) {
        let existing: Map<string, ServerPhoto>;
        try {
          existing = await calls.checkHashes(
            albumId,
            album.map((e) => e.photo.sha256),
          );
        } catch {
          return; // each item checks again on its own and retries with its own backoff
        }
        // One commit for the whole answer, not one per photo.
        store.transaction(() => {
          for (const { photo } of album) {
            if (inflight.has(photo.id) || queue.get(photo.id)?.step !== 'check') continue;
            const found = existing.get(photo.sha256);
            if (found && found.status !== 'uploading') finish(photo, found, true);
            else queue.advance(photo.id, { step: 'request', uploadId: null, partsDone: [] });
          }
        });
      }
    },
  };
}
export type PhotoUploadSteps = ReturnType<typeof createPhotoUploadSteps>;
