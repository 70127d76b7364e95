import { describe, expect, it } from 'vitest';
import { createPhotoProcessor, processingDelayMs, type UploadYield } from './photoProcessor.js';
import type { ProcessPendingResult } from './processPendingPhotos.js';

const NOTHING: ProcessPendingResult = { ready: 0, failed: 0, deferred: 0 };
const ONE: ProcessPendingResult = { ready: 1, failed: 0, deferred: 0 };

/** A backlog of `count` photos; `processNext` takes one and says what happened meanwhile. */
function backlog(count: number) {
  let left = count;
  const events: string[] = [];
  return {
    events,
    processNext: () => {
      if (left === 0) return Promise.resolve(NOTHING);
      left--;
      events.push('processed');
      return Promise.resolve(ONE);
    },
    get left() {
      return left;
    },
  };
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
};

describe('processingDelayMs', () => {
  const yieldTo: UploadYield = { quietMs: 1000, maxDeferMs: 30_000 };

  it('waits until uploads have been quiet for quietMs', () => {
    expect(processingDelayMs(10_000, 9_800, 9_000, yieldTo)).toBe(800);
    expect(processingDelayMs(10_000, 9_000, 9_000, yieldTo)).toBe(0);
  });

  it('goes at once when no upload came at all', () => {
    expect(processingDelayMs(10_000, -Infinity, 10_000, yieldTo)).toBe(0);
  });

  it('never waits past maxDeferMs after the backlog began, however busy uploads are', () => {
    expect(processingDelayMs(39_500, 39_400, 10_000, yieldTo)).toBe(500);
    expect(processingDelayMs(40_000, 39_900, 10_000, yieldTo)).toBe(0);
  });
});

describe('the photo processor', () => {
  it('processes a completed photo at once when no upload is in flight', async () => {
    const photos = backlog(2);
    const deferrals: number[] = [];
    const processor = createPhotoProcessor({
      processNext: photos.processNext,
      log: () => undefined,
      sleep: async (ms) => void deferrals.push(ms),
    });
    processor.kick();
    await until(() => photos.left === 0);
    await processor.stop();
    expect(deferrals).toEqual([]);
  });

  it('gives way to upload requests, then processes every photo once they are quiet', async () => {
    const photos = backlog(3);
    let clock = 0;
    const processor = createPhotoProcessor({
      processNext: photos.processNext,
      log: () => undefined,
      clockMs: () => clock,
      uploadYield: { quietMs: 1000, maxDeferMs: 30_000 },
      sleep: async (ms) => {
        photos.events.push(`waited ${ms}`);
        clock += ms;
      },
    });
    clock = 100;
    processor.uploadActivity();
    processor.kick();
    await until(() => photos.left === 0);
    await processor.stop();
    // Nothing was processed before uploads had been quiet for a second.
    expect(photos.events).toEqual(['waited 1000', 'processed', 'processed', 'processed']);
  });

  it('pauses between photos when uploads start again mid-backlog', async () => {
    const photos = backlog(3);
    let clock = 0;
    let processor: ReturnType<typeof createPhotoProcessor> | undefined = undefined;
    const processNext = async () => {
      const result = await photos.processNext();
      // A new batch of uploads starts while the first photo is being processed.
      if (photos.left === 2) processor?.uploadActivity();
      return result;
    };
    processor = createPhotoProcessor({
      processNext,
      log: () => undefined,
      clockMs: () => clock,
      uploadYield: { quietMs: 1000, maxDeferMs: 30_000 },
      sleep: async (ms) => {
        photos.events.push(`waited ${ms}`);
        clock += ms;
      },
    });
    clock = 5000;
    processor.kick();
    await until(() => photos.left === 0);
    await processor.stop();
    expect(photos.events).toEqual(['processed', 'waited 1000', 'processed', 'processed']);
  });

  it('does not wait past maxDeferMs while uploads keep coming', async () => {
    const photos = backlog(2);
    let clock = 0;
    let processor: ReturnType<typeof createPhotoProcessor> | undefined = undefined;
    processor = createPhotoProcessor({
      processNext: photos.processNext,
      log: () => undefined,
      clockMs: () => clock,
      uploadYield: { quietMs: 1000, maxDeferMs: 3000 },
      sleep: async (ms) => {
        photos.events.push(`waited ${ms}`);
        // Another upload request comes in just before the quiet period ends.
        clock += Math.max(1, ms - 1);
        processor?.uploadActivity();
      },
    });
    processor.uploadActivity();
    processor.kick();
    await until(() => photos.left === 0);
    await processor.stop();
    expect(photos.events.filter((e) => e === 'processed')).toHaveLength(2);
    // Processing began maxDeferMs after the backlog did, and then took the whole backlog.
    expect(clock).toBe(3000);
    expect(photos.events.slice(-2)).toEqual(['processed', 'processed']);
  });

  it('stops while waiting for uploads without processing', async () => {
    const photos = backlog(1);
    let deferred = false;
    const processor = createPhotoProcessor({
      processNext: photos.processNext,
      log: () => undefined,
      uploadYield: { quietMs: 60_000, maxDeferMs: 60_000 },
      // The real sleep: only stop ends it.
      sleep: (ms, signal) =>
        new Promise((resolve) => {
          deferred = true;
          signal.addEventListener('abort', () => resolve());
        }),
    });
    processor.uploadActivity();
    processor.kick();
    await until(() => deferred);
    await processor.stop();
    expect(photos.left).toBe(1);
  });
});
