/**
 * The upload queue worker (DESIGN.md "Photo import and upload"): each queued photo goes through
 * persisted steps, check (dedup) -> request (start or resume on the server) -> put, or parts ->
 * complete, so a process killed at any moment continues where it stopped and the server never
 * gets a photo twice (it answers a known hash with the existing photo).
 *
 * Bounded concurrency; network errors, 5xx and 429 retry with exponential backoff and jitter;
 * 401 retries (the session refreshes its token, or the user signs in again); any other 4xx fails
 * the photo with the server's reason and the batch goes on. Pause aborts transfers in flight
 * and is kept in the settings across restarts.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { photoApi, type PhotoView } from '../../../src-shared/cloud/photos.js';
import type { ReplyOf } from '../../../src-shared/cloud/routeSpec.js';
import {
  MAX_CHECK_HASHES,
  uploadApi,
  type AcceptedContentType,
  type UploadView,
} from '../../../src-shared/cloud/uploads.js';
import type { UploadProgress } from '../../../src-shared/desktop/contract.js';
import { CloudError } from '../cloud/cloudError.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { EventHub } from '../events/eventHub.js';
import { SNIFF_BYTES, sniffFormat } from '../import/sniffFormat.js';
import type { LocalStore } from '../store/localStore.js';
import type { PhotoRecord } from '../store/photoRepository.js';
import type { PartDone, UploadItem } from '../store/uploadQueueRepository.js';
import { TransferError, type BlobTransfer } from './blobTransfer.js';
import { createUploadBatches } from './uploadProgress.js';
import {
  UNKNOWN_REFUSAL,
  type LocalUploadFailure,
} from '../../../src-shared/library/failureReasons.js';

export const DEFAULT_UPLOAD_CONCURRENCY = 4;
/**
 * Uploads started ahead, in one call, per transfer slot: a slot that frees up sends its next
 * file at once instead of waiting for a round trip to the server first.
 */
const STARTS_AHEAD_PER_SLOT = 4;
/** Upload URLs live an hour on the server; ones fetched ahead are used well within that. */
const STARTED_AHEAD_MAX_AGE_MS = 10 * 60_000;
/** A server that refused the batch call (an older one, or trouble) is asked one by one. */
const BATCH_START_PAUSE_MS = 60_000;
const PAUSED_SETTING = 'uploads.paused';

const CONTENT_TYPES = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
} as const satisfies Record<string, AcceptedContentType>;

/** The bytes to send: their accepted content type and size, as the file was imported. */
interface LocalFile {
  readonly contentType: AcceptedContentType;
  readonly size: number;
}

/** What the queue needs of a server photo: the check answers only these (any status text). */
type ServerPhoto = Pick<PhotoView, 'id' | 'failure'> & { readonly status: string };

/** What the queue did, for logs and tests (never file contents or URLs). */
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

export interface UploadQueueOptions {
  readonly store: LocalStore;
  readonly cloud: Pick<CloudSession, 'call'>;
  readonly transfer: BlobTransfer;
  readonly events?: EventHub;
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Backoff: `baseMs * 2^attempts`, at most `maxMs`, half of it random (jitter). */
  readonly retry?: { readonly baseMs?: number; readonly maxMs?: number };
  readonly progressIntervalMs?: number;
  /** How often the queue looks for photos queued by others (import) without a `kick`. */
  readonly pollMs?: number;
  /** How often an uploaded photo's status is asked for while files are still being sent. */
  readonly statusWhileSendingMs?: number;
  readonly log?: (event: UploadLogEvent) => void;
}

/** A failure that retrying cannot fix: the photo fails with `reason`. */
class PermanentFailure extends Error {
  constructor(
    readonly reason: LocalUploadFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The server lost the upload (or parts of it): the photo starts over from the check. */
class StartOver extends Error {
  constructor(override readonly cause: CloudError) {
    super(cause.message);
  }
  readonly code = 'start_over';
}

/** Delay before retry number `attempts + 1`: exponential, capped, with equal jitter. */
export function retryDelayMs(
  attempts: number,
  random: () => number,
  retry: { baseMs?: number; maxMs?: number } = {},
): number {
  const base = retry.baseMs ?? 1000;
  const max = retry.maxMs ?? 5 * 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const abortError = () => Object.assign(new Error('upload paused'), { name: 'AbortError' });

export function createUploadQueue(options: UploadQueueOptions) {
  const { store, cloud, transfer } = options;
  const queue = store.uploadQueue;
  const concurrency = options.concurrency ?? DEFAULT_UPLOAD_CONCURRENCY;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const pollMs = options.pollMs ?? 1000;
  const log = options.log ?? (() => undefined);

  let paused = store.settings.get(PAUSED_SETTING, z.boolean()) ?? false;
  let heldReported = false;
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  let lastRefresh = 0;
  const inflight = new Map<
    string,
    { controller: AbortController; done: Promise<void>; completing: boolean }
  >();
  const idleWaiters: (() => void)[] = [];
  /** Status asks and batch starts in flight: stop waits for them (the store closes next). */
  const background = new Set<Promise<unknown>>();
  const startedAhead = new Map<string, { answer: UploadView; at: number }>();
  let batchStartPausedUntil = 0;

  const batches = createUploadBatches({
    emit: (p: UploadProgress) => options.events?.emit('uploads.progress', p),
    intervalMs: options.progressIntervalMs ?? 100,
    now: () => performance.now(),
    paused: () => paused,
  });

  /** Set by a wake-up that came while the loop was busy: it looks again at once. */
  let wakePending = false;
  const wake = () => {
    wakePending = true;
    const w = wakeUp;
    wakeUp = null;
    w?.();
  };

  /** Every queued photo joins its album's batch, so totals are known before uploads start. */
  const refreshBatches = (force = false) => {
    if (!force && performance.now() - lastRefresh < pollMs) return;
    lastRefresh = performance.now();
    batches.join(queue.pending());
  };

  // ---- uploaded photos until the server says ready ----------------------------------------

  /**
   * Photos the server has but is still verifying (`processing`, or another upload's): their
   * status is asked for with backoff until `ready` or `failed` (the change feed says the same
   * to the sync engine; whichever comes first sets the state).
   */
  const readyWatch = new Map<
    string,
    {
      albumId: string;
      serverId: string;
      attempts: number;
      nextAt: number;
      asking: boolean;
      askedAt: number;
    }
  >();
  /**
   * While this queue is still sending files (or completing them), a status is asked for at most every
   * `busyAskMs`: the server processes photos once uploads have gone quiet, so asking sooner
   * only loads the server the transfers are waiting on.
   */
  const busyAskMs = options.statusWhileSendingMs ?? 5000;
  // Completions count too: a burst of asks as the last transfer ends would delay the last
  // completions, which end the batch.
  const sending = () => inflight.size > 0;
  const askDueAt = (w: { nextAt: number; askedAt: number }, busy: boolean) =>
    busy ? Math.max(w.nextAt, w.askedAt + busyAskMs) : w.nextAt;
  function watchReady(photoId: string, albumId: string, serverId: string): void {
    readyWatch.set(photoId, {
      albumId,
      serverId,
      attempts: 0,
      nextAt: now().getTime() + 250,
      asking: false,
      askedAt: now().getTime(),
    });
  }

  /**
   * Counts a watched photo done (or failed) from the store when someone else learned its state
   * first: the sync engine marks photos ready from the change feed too. True when settled.
   */
  function settledLocally(photoId: string): boolean {
    const local = store.photos.get(photoId);
    if (local?.state === 'ready' || local?.state === 'expired') batches.done(photoId);
    else if (local?.state === 'failed')
      batches.failed(photoId, local.failureReason ?? UNKNOWN_REFUSAL);
    else if (local?.state === 'uploaded') return false;
    readyWatch.delete(photoId); // gone, or queued again: its batch counts it then
    return true;
  }

  function askReady(): void {
    const at = now().getTime();
    const busy = sending();
    for (const [photoId, w] of readyWatch) {
      if (w.asking || askDueAt(w, busy) > at) continue;
      if (settledLocally(photoId)) continue;
      w.asking = true;
      w.askedAt = at;
      const asking = cloud
        .call(photoApi.get, { params: { albumId: w.albumId, photoId: w.serverId } })
        .then(
          (body) => {
            if (settledLocally(photoId)) return;
            if (body.status === 'ready') {
              store.photos.setState(photoId, body.status);
              batches.done(photoId);
            } else if (body.status === 'failed') {
              const reason = body.failure?.reason ?? UNKNOWN_REFUSAL;
              store.photos.setState(photoId, 'failed', reason);
              batches.failed(photoId, reason);
            } else {
              return void (w.nextAt = now().getTime() + Math.min(60_000, 500 * 2 ** w.attempts++));
            }
            readyWatch.delete(photoId);
          },
          (error: unknown) => {
            // Gone on the server (retention, a deletion): the sync engine drops the photo.
            if (error instanceof CloudError && error.status === 404) readyWatch.delete(photoId);
            else w.nextAt = now().getTime() + retryDelayMs(w.attempts++, random, options.retry);
          },
        )
        .finally(() => {
          w.asking = false;
          background.delete(asking);
          wake();
        });
      background.add(asking);
    }
  }

  // ---- one photo ----------------------------------------------------------------------------

  const finish = (photo: PhotoRecord, server: ServerPhoto, dedup: boolean) => {
    const mine = store.transaction(() => {
      if (!queue.complete(photo.id, server.id)) return false;
      if (server.status === 'ready') store.photos.setState(photo.id, server.status);
      return true;
    });
    if (mine && server.status !== 'ready') {
      // Still being processed on the server: it counts as done (or failed) once it is ready.
      watchReady(photo.id, photo.albumId, server.id);
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

  /** The local file as imported: same size, an accepted image type. */
  async function localFile(photo: PhotoRecord): Promise<LocalFile> {
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

  async function checkHashes(albumId: string, hashes: string[]): Promise<Map<string, ServerPhoto>> {
    const { existing } = await cloud.call(uploadApi.check, {
      params: { albumId },
      body: { hashes },
    });
    return new Map(
      existing.map((e) => [
        e.sha256.toLowerCase(),
        { id: e.photoId, status: e.status, failure: null },
      ]),
    );
  }

  const recordPart = (albumId: string, serverId: string, part: PartDone) =>
    cloud.call(uploadApi.recordPart, { params: { albumId, photoId: serverId }, body: part });

  async function complete(photo: PhotoRecord, serverId: string): Promise<void> {
    let server: ServerPhoto;
    try {
      server = await cloud.call(uploadApi.complete, {
        params: { albumId: photo.albumId, photoId: serverId },
      });
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

  const uploadRequest = (photo: PhotoRecord, sha256: string, file: LocalFile) => ({
    sha256,
    size: file.size,
    fileName: basename(photo.filePath).slice(0, 255),
    contentType: file.contentType,
  });

  /** An upload started ahead for this photo, if one is fresh (each is used once). */
  function takeStartedAhead(photoId: string): UploadView | undefined {
    const ahead = startedAhead.get(photoId);
    startedAhead.delete(photoId);
    if (ahead === undefined || now().getTime() - ahead.at > STARTED_AHEAD_MAX_AGE_MS) return;
    return ahead.answer;
  }

  async function upload(photo: PhotoRecord, sha256: string, signal: AbortSignal): Promise<void> {
    const file = await localFile(photo);
    const { size } = file;
    signal.throwIfAborted();
    const ahead = takeStartedAhead(photo.id);
    const answer =
      ahead ??
      (await cloud.call(uploadApi.start, {
        params: { albumId: photo.albumId },
        body: uploadRequest(photo, sha256, file),
      }));
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
        await recordPart(photo.albumId, serverId, part);
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
        await recordPart(photo.albumId, serverId, done);
        recorded.set(part.partNumber, done);
      }
    }
    // Completion takes a slot of its own (the loop picks the item up again at once): the
    // server verifies and processes the photo meanwhile, and the next transfer need not wait.
    queue.advance(photo.id, { step: 'complete', uploadId: serverId });
  }

  async function runItem(item: UploadItem, signal: AbortSignal): Promise<void> {
    const photo = store.photos.get(item.photoId);
    if (!photo) return; // dropped with its album meanwhile: the queue row went with it
    batches.join([{ ...photo, photoId: photo.id, byteSize: photo.byteSize ?? 0 }]);
    try {
      if (photo.sha256 === null || photo.byteSize === null) {
        throw new PermanentFailure('not_uploadable', 'the photo has no hash or size');
      }
      if (item.step === 'check') {
        const existing = (await checkHashes(photo.albumId, [photo.sha256])).get(photo.sha256);
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
  }

  /** A failed attempt: fail the photo for good, or retry later. */
  function settle(photo: PhotoRecord, thrown: unknown): void {
    const error = localFileError(thrown);
    if (error instanceof PermanentFailure) return fail(photo.id, error.reason);
    if (error instanceof CloudError || error instanceof TransferError) {
      // 401 is not the photo's fault: the session has refreshed already (or the user must sign
      // in again); the photo waits.
      if (!error.transient && error.status !== 401) return fail(photo.id, error.code);
    }
    const attempts = queue.get(photo.id)?.attempts ?? 0;
    const hinted =
      error instanceof CloudError && error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : 0;
    const retryAt =
      now().getTime() + Math.max(hinted, retryDelayMs(attempts, random, options.retry));
    const code = (error as { code?: unknown }).code;
    const text = `${typeof code === 'string' ? code : 'error'}: ${(error as Error).message}`;
    queue.retryLater(photo.id, { error: text, retryAt });
    log({ kind: 'retry', photoId: photo.id, error: text, retryAt });
  }

  // ---- uploads started ahead ----------------------------------------------------------------

  /**
   * Starts, in one call per album, the uploads the slots take next (items at the request step,
   * in the order dispatch takes them), up to STARTS_AHEAD_PER_SLOT per slot. Only in memory:
   * after a restart each photo asks again, and the server resumes the same upload. Any failure
   * leaves the photos to start one by one, which reports their errors. `most`: fewer this time.
   */
  async function startAhead(most = Infinity): Promise<number> {
    const at = now().getTime();
    for (const [id, ahead] of startedAhead) {
      if (at - ahead.at > STARTED_AHEAD_MAX_AGE_MS) startedAhead.delete(id);
    }
    const room = Math.min(most, STARTS_AHEAD_PER_SLOT * concurrency - startedAhead.size);
    if (room < concurrency || at < batchStartPausedUntil) return 0;
    const due = queue
      .next({
        limit: room + concurrency,
        excluding: new Set([...inflight.keys(), ...startedAhead.keys()]),
      })
      .filter((item) => item.step === 'request')
      .slice(0, room);
    let started = 0;
    const byAlbum = new Map<
      string,
      { photo: PhotoRecord; request: ReturnType<typeof uploadRequest> }[]
    >();
    for (const item of due) {
      const photo = store.photos.get(item.photoId);
      if (!photo?.sha256 || photo.byteSize === null) continue;
      let file;
      try {
        file = await localFile(photo);
      } catch {
        continue; // its own attempt fails it with the reason
      }
      const list = byAlbum.get(photo.albumId) ?? [];
      list.push({ photo, request: uploadRequest(photo, photo.sha256, file) });
      byAlbum.set(photo.albumId, list);
    }
    for (const [albumId, entries] of byAlbum) {
      let results: ReplyOf<typeof uploadApi.startBatch>['results'];
      try {
        ({ results } = await cloud.call(uploadApi.startBatch, {
          params: { albumId },
          body: { uploads: entries.map((e) => e.request) },
        }));
      } catch {
        batchStartPausedUntil = now().getTime() + BATCH_START_PAUSE_MS;
        return started;
      }
      entries.forEach(({ photo }, i) => {
        const result = results[i];
        if (result?.ok && !inflight.has(photo.id)) {
          startedAhead.set(photo.id, { answer: result.value, at: now().getTime() });
          started++;
        }
      });
    }
    return started;
  }

  let startingAhead = false;
  /**
   * Nothing sending and nothing started ahead (the queue's first look, or after a pause): one
   * batch call starts a transfer for every slot, instead of each slot asking on its own; the
   * rest are started ahead while these send.
   */
  async function startFirstTogether(): Promise<void> {
    if (startingAhead || inflight.size > 0 || startedAhead.size > 0) return;
    startingAhead = true;
    try {
      await startAhead(concurrency);
    } finally {
      startingAhead = false;
    }
  }
  function startAheadInBackground(): void {
    if (startingAhead) return;
    startingAhead = true;
    const starting = startAhead()
      .then(
        // Only when something was started: waking for nothing would spin the loop.
        (started) => started > 0 && wake(),
        (error: unknown) => log({ kind: 'error', message: String(error) }),
      )
      .finally(() => {
        startingAhead = false;
        background.delete(starting);
      });
    background.add(starting);
  }

  // ---- the loop -----------------------------------------------------------------------------

  /** One check call for every due photo at the check step (Immich's bulk-upload-check). */
  async function checkDue(): Promise<void> {
    const due = queue
      .next({ limit: MAX_CHECK_HASHES, excluding: new Set(inflight.keys()) })
      .filter((item) => item.step === 'check');
    const byAlbum = new Map<string, { item: UploadItem; photo: PhotoRecord }[]>();
    for (const item of due) {
      const photo = store.photos.get(item.photoId);
      if (!photo?.sha256) continue; // runItem fails it with its reason
      const list = byAlbum.get(photo.albumId) ?? [];
      list.push({ item, photo });
      byAlbum.set(photo.albumId, list);
    }
    for (const [albumId, entries] of byAlbum) {
      let existing: Map<string, ServerPhoto>;
      try {
        existing = await checkHashes(
          albumId,
          entries.map((e) => e.photo.sha256!),
        );
      } catch {
        return; // each item checks again on its own and retries with its own backoff
      }
      // One commit for the whole answer, not one per photo.
      store.transaction(() => {
        for (const { photo } of entries) {
          if (inflight.has(photo.id) || queue.get(photo.id)?.step !== 'check') continue;
          const found = existing.get(photo.sha256!);
          if (found && found.status !== 'uploading') finish(photo, found, true);
          else queue.advance(photo.id, { step: 'request', uploadId: null, partsDone: [] });
        }
      });
    }
  }

  /**
   * Starts due items while slots are free: `concurrency` transfers (check, request, put, parts)
   * and as many completions, which wait mostly on the server's verification and processing.
   */
  function dispatch(): void {
    let completing = 0;
    for (const f of inflight.values()) if (f.completing) completing++;
    let freeTransfers = concurrency - (inflight.size - completing);
    let freeCompletions = concurrency - completing;
    if (freeTransfers <= 0 && freeCompletions <= 0) return;
    const due = queue.next({ limit: 4 * concurrency, excluding: new Set(inflight.keys()) });
    for (const item of due) {
      const isCompletion = item.step === 'complete' && item.uploadId !== null;
      if (isCompletion ? freeCompletions <= 0 : freeTransfers <= 0) continue;
      if (isCompletion) freeCompletions--;
      else freeTransfers--;
      const controller = new AbortController();
      const done = runItem(item, controller.signal)
        .catch((error: unknown) => log({ kind: 'error', message: String(error) }))
        .finally(() => {
          inflight.delete(item.photoId);
          wake();
        });
      inflight.set(item.photoId, { controller, done, completing: isCompletion });
    }
  }

  function settleIdle(): void {
    if (inflight.size > 0 || readyWatch.size > 0 || queue.count() > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  /**
   * How long to wait for the next look: until the earliest retry is due, or until woken (a
   * photo finished, kick, resume), polling at `pollMs` for photos queued by import. A due item
   * here is in flight already or waits for a slot (a finishing item wakes the loop).
   */
  function sleepMs(): number {
    const queued = paused ? null : queue.nextDueAt();
    let due = queued;
    const busy = sending();
    for (const w of readyWatch.values()) {
      if (!w.asking) due = Math.min(due ?? askDueAt(w, busy), askDueAt(w, busy));
    }
    const wait = due === null ? pollMs : due - now().getTime();
    if (wait <= 0 && due !== queued) return 1; // a status to ask for is due
    return wait <= 0 ? pollMs : Math.max(1, Math.min(pollMs, wait));
  }

  async function loop(): Promise<void> {
    while (running) {
      wakePending = false;
      try {
        refreshBatches();
        if (!paused) {
          await checkDue();
          if (running && !paused) await startFirstTogether();
          if (running && !paused) {
            dispatch();
            startAheadInBackground();
          }
        } else if (!heldReported && queue.count() > 0) {
          heldReported = true;
          log({ kind: 'held', queued: queue.count() });
        }
        askReady();
        settleIdle();
      } catch (error) {
        log({ kind: 'error', message: String(error) });
      }
      if (!running) break;
      const ms = wakePending ? 0 : sleepMs();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async function stopInflight(): Promise<void> {
    for (const { controller } of inflight.values()) controller.abort(abortError());
    await Promise.all([...inflight.values()].map((f) => f.done));
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      for (const p of store.photos.inState('uploaded')) {
        if (p.serverPhotoId !== null) watchReady(p.id, p.albumId, p.serverPhotoId);
      }
      refreshBatches(true);
      loopDone = loop();
    },
    /** Stops taking photos and aborts transfers in flight; each photo keeps its step. */
    async stop(): Promise<void> {
      running = false;
      wake();
      await stopInflight();
      await loopDone;
      await Promise.all([...background]);
      batches.close();
    },
    /** Photos were queued (an import): look now rather than at the next poll. */
    kick(): void {
      lastRefresh = 0;
      wake();
    },
    async pause(): Promise<void> {
      paused = true;
      heldReported = false;
      store.settings.set(PAUSED_SETTING, true);
      await stopInflight();
      batches.flush();
    },
    resume(): void {
      paused = false;
      store.settings.set(PAUSED_SETTING, false);
      batches.flush();
      wake();
    },
    isPaused: (): boolean => paused,
    /** Failed (or any) photos back into the queue, from the check. */
    retry(photoIds: readonly string[]): void {
      for (const id of photoIds) {
        startedAhead.delete(id);
        queue.requeue(id);
      }
      lastRefresh = 0;
      wake();
    },
    status: (): UploadProgress[] => batches.current(),
    /**
     * Resolves when the queue is empty, nothing is in flight and every uploaded photo is ready
     * (or failed); not while paused with photos queued.
     */
    whenIdle(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        wake();
      });
    },
  };
}
export type UploadQueue = ReturnType<typeof createUploadQueue>;

function localFileError(error: unknown): unknown {
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
