import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { UploadProgress } from '../../../src-shared/desktop/contract.js';

/** A queued photo as progress reporting sees it. */
export interface BatchMember {
  readonly photoId: string;
  readonly albumId: string;
  readonly filePath: string;
  readonly byteSize: number;
}

interface Batch {
  readonly batchId: string;
  readonly albumId: string;
  readonly members: Map<string, BatchMember>;
  readonly finished: Set<string>;
  done: number;
  failed: number;
  bytesTotal: number;
  /** Bytes of finished photos. */
  bytesFinished: number;
  /** Bytes sent so far of photos in flight (reset when an attempt fails). */
  readonly sending: Map<string, number>;
  readonly failures: { fileName: string; reason: string }[];
  lastEmit: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Upload progress per batch: a batch is an album's run of queued photos, from the first one
 * until none is left (photos queued meanwhile join it). Events are throttled to one per
 * `intervalMs` per batch; the first and the last are always sent.
 */
export function createUploadBatches(options: {
  emit: (progress: UploadProgress) => void;
  intervalMs: number;
  now: () => number;
  paused: () => boolean;
}) {
  const batches = new Map<string, Batch>();
  const batchOf = new Map<string, Batch>();

  const snapshot = (b: Batch): UploadProgress => {
    let sending = 0;
    for (const n of b.sending.values()) sending += n;
    return {
      batchId: b.batchId,
      albumId: b.albumId,
      total: b.members.size,
      done: b.done,
      failed: b.failed,
      bytesDone: Math.min(b.bytesTotal, b.bytesFinished + sending),
      bytesTotal: b.bytesTotal,
      paused: options.paused(),
      failures: [...b.failures],
    };
  };

  const emitNow = (b: Batch) => {
    if (b.timer) clearTimeout(b.timer);
    b.timer = null;
    b.lastEmit = options.now();
    options.emit(snapshot(b));
  };

  const touch = (b: Batch, force = false) => {
    if (b.finished.size === b.members.size) {
      emitNow(b);
      // The batch is over: its photos leave it, and the next queued photo starts a new one.
      batches.delete(b.albumId);
      for (const id of b.members.keys()) batchOf.delete(id);
      return;
    }
    const wait = b.lastEmit + options.intervalMs - options.now();
    if (force || wait <= 0) emitNow(b);
    else b.timer ??= setTimeout(() => emitNow(b), wait).unref();
  };

  const finish = (photoId: string, failure: string | null) => {
    const b = batchOf.get(photoId);
    if (!b || b.finished.has(photoId)) return;
    const member = b.members.get(photoId)!;
    b.finished.add(photoId);
    b.sending.delete(photoId);
    if (failure === null) {
      b.done++;
      b.bytesFinished += member.byteSize;
    } else {
      b.failed++;
      b.failures.push({ fileName: basename(member.filePath), reason: failure });
    }
    touch(b);
  };

  /** Adds a queued photo to its album's current batch (once); a new batch is returned. */
  const add = (member: BatchMember): Batch | null => {
    if (batchOf.has(member.photoId)) return null;
    let b = batches.get(member.albumId);
    const first = b === undefined;
    if (!b) {
      b = {
        batchId: randomUUID(),
        albumId: member.albumId,
        members: new Map(),
        finished: new Set(),
        done: 0,
        failed: 0,
        bytesTotal: 0,
        bytesFinished: 0,
        sending: new Map(),
        failures: [],
        lastEmit: 0,
        timer: null,
      };
      batches.set(member.albumId, b);
    }
    b.members.set(member.photoId, member);
    b.bytesTotal += member.byteSize;
    batchOf.set(member.photoId, b);
    return first ? b : null;
  };

  return {
    /** Adds queued photos to their albums' batches; a new batch's first event has them all. */
    join(members: readonly BatchMember[]): void {
      const fresh = new Set<Batch>();
      const grown = new Set<Batch>();
      for (const member of members) {
        if (batchOf.has(member.photoId)) continue;
        const b = add(member);
        if (b) fresh.add(b);
        else grown.add(batches.get(member.albumId)!);
      }
      for (const b of fresh) emitNow(b);
      // A batch that grew (an import still recording) reports its new total, throttled, even
      // while paused, when nothing else would send it.
      for (const b of grown) if (!fresh.has(b)) touch(b);
    },
    sent(photoId: string, bytes: number): void {
      const b = batchOf.get(photoId);
      if (!b) return;
      b.sending.set(photoId, (b.sending.get(photoId) ?? 0) + bytes);
      touch(b);
    },
    /** An attempt ended without finishing: its bytes will be sent again. */
    resetSent(photoId: string): void {
      batchOf.get(photoId)?.sending.delete(photoId);
    },
    done: (photoId: string) => finish(photoId, null),
    failed: (photoId: string, reason: string) => finish(photoId, reason),
    /** Sends every open batch now (pause and resume change `paused`). */
    flush(): void {
      for (const b of batches.values()) emitNow(b);
    },
    current: (): UploadProgress[] => [...batches.values()].map(snapshot),
    close(): void {
      for (const b of batches.values()) if (b.timer) clearTimeout(b.timer);
    },
  };
}
export type UploadBatches = ReturnType<typeof createUploadBatches>;
