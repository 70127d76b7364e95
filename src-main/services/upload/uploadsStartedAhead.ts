/**
 * Uploads started ahead: in one call per album, the server starts the uploads the transfer
 * slots take next, so a slot that frees up sends its next file at once instead of waiting for
 * a round trip to the server first. Only in memory: after a restart each photo asks again, and
 * the server resumes the same upload.
 */
import type { UploadView } from '../../../src-shared/cloud/uploads.js';
import type { LocalStore } from '../store/localStore.js';
import type { PhotoRecord } from '../store/photoRepository.js';
import { readLocalFile, uploadRequest } from './localUploadFile.js';
import type { UploadCalls, UploadRequest, StartBatchResults } from './uploadCalls.js';

/** Uploads started ahead, in one call, per transfer slot. */
const STARTS_AHEAD_PER_SLOT = 4;
/** Upload URLs live an hour on the server; ones fetched ahead are used well within that. */
const STARTED_AHEAD_MAX_AGE_MS = 10 * 60_000;
/** A server that refused the batch call (an older one, or trouble) is asked one by one. */
const BATCH_START_PAUSE_MS = 60_000;

/**
 * How many uploads to start ahead now: up to STARTS_AHEAD_PER_SLOT per slot less those held
 * (at most `most`), and none when fewer than a slot each would be, so calls stay large.
 */
export function startAheadRoom(concurrency: number, held: number, most = Infinity): number {
  const room = Math.min(most, STARTS_AHEAD_PER_SLOT * concurrency - held);
  return room < concurrency ? 0 : room;
}

/** Items of several albums grouped by album, each album's in their order. */
export function groupByAlbum<T extends { readonly photo: Pick<PhotoRecord, 'albumId'> }>(
  entries: readonly T[],
): Map<string, T[]> {
  const byAlbum = new Map<string, T[]>();
  for (const entry of entries) {
    const list = byAlbum.get(entry.photo.albumId) ?? [];
    list.push(entry);
    byAlbum.set(entry.photo.albumId, list);
  }
  return byAlbum;
}

export interface UploadsStartedAheadOptions {
  readonly store: LocalStore;
  readonly calls: Pick<UploadCalls, 'startBatch'>;
  readonly concurrency: number;
  readonly now: () => Date;
  /** Photos being sent now (their own attempt started them). */
  readonly inflight: ReadonlyMap<string, unknown>;
}

export function createUploadsStartedAhead(options: UploadsStartedAheadOptions) {
  const { store, calls, concurrency, now, inflight } = options;
  const queue = store.uploadQueue;
  const startedAhead = new Map<string, { answer: UploadView; at: number }>();
  let batchStartPausedUntil = 0;

  /**
   * Starts, in one call per album, the uploads the slots take next (items at the request step,
   * in the order dispatch takes them). Any failure leaves the photos to start one by one, which
   * reports their errors. `most`: fewer this time.
   */
  async function startAhead(most = Infinity): Promise<number> {
    const at = now().getTime();
    for (const [id, ahead] of startedAhead) {
      if (at - ahead.at > STARTED_AHEAD_MAX_AGE_MS) startedAhead.delete(id);
    }
    const room = startAheadRoom(concurrency, startedAhead.size, most);
    if (room === 0 || at < batchStartPausedUntil) return 0;
    const due = queue
      .next({
        limit: room + concurrency,
        excluding: new Set([...inflight.keys(), ...startedAhead.keys()]),
      })
      .filter((item) => item.step === 'request')
      .slice(0, room);
    let started = 0;
    const entries: { photo: PhotoRecord; request: UploadRequest }[] = [];
    for (const item of due) {
      const photo = store.photos.get(item.photoId);
      if (!photo?.sha256 || photo.byteSize === null) continue;
      let file;
      try {
        file = await readLocalFile(photo);
      } catch {
        continue; // its own attempt fails it with the reason
      }
      entries.push({ photo, request: uploadRequest(photo, photo.sha256, file) });
    }
    for (const [albumId, album] of groupByAlbum(entries)) {
      let results: StartBatchResults;
      try {
        results = await calls.startBatch(
          albumId,
          album.map((e) => e.request),
        );
      } catch {
        batchStartPausedUntil = now().getTime() + BATCH_START_PAUSE_MS;
        return started;
      }
      album.forEach(({ photo }, i) => {
        const result = results[i];
        if (result?.ok && !inflight.has(photo.id)) {
          startedAhead.set(photo.id, { answer: result.value, at: now().getTime() });
          started++;
        }
      });
    }
    return started;
  }

  let starting = false;
  return {
    /** An upload started ahead for this photo, if one is fresh (each is used once). */
    take(photoId: string): UploadView | undefined {
      const ahead = startedAhead.get(photoId);
      startedAhead.delete(photoId);
      if (ahead === undefined || now().getTime() - ahead.at > STARTED_AHEAD_MAX_AGE_MS) return;
      return ahead.answer;
    },
    /** The photo starts again from the check (a retry): its upload started ahead is dropped. */
    forget(photoId: string): void {
      startedAhead.delete(photoId);
    },
    /**
     * Nothing sending and nothing started ahead (the queue's first look, or after a pause): one
     * batch call starts a transfer for every slot, instead of each slot asking on its own; the
     * rest are started ahead while these send.
     */
    async startFirstTogether(): Promise<void> {
      if (starting || inflight.size > 0 || startedAhead.size > 0) return;
      starting = true;
      try {
        await startAhead(concurrency);
      } finally {
        starting = false;
      }
    },
    /** Starts ahead without waiting; resolves with how many were started (0 when busy). */
    async startMore(): Promise<number> {
      if (starting) return 0;
      starting = true;
      try {
        return await startAhead();
      } finally {
        starting = false;
      }
    },
  };
}
export type UploadsStartedAhead = ReturnType<typeof createUploadsStartedAhead>;
