import { open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disposeCloudProcess,
  startCloudProcess,
  type CloudProcess,
} from '../../testing/cloudProcess.js';
import { photoApi } from '../../../src-shared/cloud/photos.js';
import type { RouteSpec } from '../../../src-shared/cloud/routeSpec.js';
import { uploadApi } from '../../../src-shared/cloud/uploads.js';
import { setUpStudio, type StudioFixture } from '../../testing/cloudFixture.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { LocalStore } from '../store/localStore.js';
import { mustOpen, seedAlbum, tempDir } from '../store/testing/tempStore.js';
import { createBlobTransfer, TransferError, type BlobTransfer } from './blobTransfer.js';
import {
  generateJpegs,
  openUploadQueue,
  recordImported,
  serverPhotos,
  type TestUploadQueue,
} from './testing/uploadFixture.js';
import { retryDelayMs } from './uploadQueue.js';

const N = 30;

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap, with up to half of it random', () => {
    expect(retryDelayMs(0, () => 0, { baseMs: 1000 })).toBe(500);
    expect(retryDelayMs(0, () => 1, { baseMs: 1000 })).toBe(1000);
    expect(retryDelayMs(3, () => 1, { baseMs: 1000 })).toBe(8000);
    expect(retryDelayMs(40, () => 1, { baseMs: 1000, maxMs: 60_000 })).toBe(60_000);
    expect(retryDelayMs(40, () => 0, { baseMs: 1000, maxMs: 60_000 })).toBe(30_000);
  });
});

describe('upload queue against a real Weebum Cloud (local blob store)', () => {
  let cloud: CloudProcess;
  let studio: StudioFixture;
  let root: string;
  let albumA: string;
  let albumB: string;
  let files: string[];
  const opened: { store: LocalStore; queues: TestUploadQueue[] }[] = [];

  async function core(name: string, loginId = 'designer-a') {
    const { store } = mustOpen(join(root, `${name}.db`));
    seedAlbum(store, albumA);
    seedAlbum(store, albumB);
    const session = await studio.signIn(loginId);
    const entry = { store, queues: [] as TestUploadQueue[] };
    opened.push(entry);
    const queueOf = (options: Parameters<typeof openUploadQueue>[3] = {}) => {
      const q = openUploadQueue(store, session, cloud.ca, options);
      entry.queues.push(q);
      return q;
    };
    return { store, session, queueOf };
  }

  const statesOf = (store: LocalStore, albumId: string) => store.photos.countByState(albumId);

  beforeAll(async () => {
    root = tempDir('weebum-upload-');
    cloud = await startCloudProcess();
    studio = await setUpStudio(cloud, { designers: ['designer-a', 'designer-b'] });
    albumA = await studio.createAlbum('アルバム A');
    albumB = await studio.createAlbum('アルバム B');
    files = await generateJpegs(join(root, 'photos'), N);
  }, 180_000);

  afterAll(async () => {
    for (const { store, queues } of opened) {
      for (const q of queues) await q.close();
      store.close();
    }
    studio?.close();
    await disposeCloudProcess(cloud);
    if (root) await rm(root, { recursive: true, force: true });
  });

  let designerA: Awaited<ReturnType<typeof core>>;

  it(`uploads ${N} photos: the server has exactly ${N}, all ready; progress per batch`, async () => {
    designerA = await core('a');
    const { store, session } = designerA;
    await recordImported(store, albumA, files);
    const { queue, progress, log } = designerA.queueOf();
    queue.start();
    await queue.whenIdle();

    expect(statesOf(store, albumA)).toEqual({ ready: N });
    expect(store.uploadQueue.count()).toBe(0);
    const onServer = await serverPhotos(session, albumA);
    expect(onServer).toHaveLength(N);
    expect(onServer.every((p) => p.status === 'ready')).toBe(true);
    expect(new Set(onServer.map((p) => p.sha256)).size).toBe(N);
    // Every local photo knows its server id.
    const serverIds = new Set(onServer.map((p) => p.id));
    expect(store.photos.list(albumA).every((p) => serverIds.has(p.serverPhotoId ?? ''))).toBe(true);
    expect(log.filter((e) => e.kind === 'put')).toHaveLength(N);

    const last = progress[progress.length - 1]!;
    const bytes = store.photos.list(albumA).reduce((s, p) => s + (p.byteSize ?? 0), 0);
    expect(last).toMatchObject({
      albumId: albumA,
      total: N,
      done: N,
      failed: 0,
      bytesDone: bytes,
      bytesTotal: bytes,
      paused: false,
      failures: [],
    });
    // One batch, whose first event already knew the total.
    expect(new Set(progress.map((p) => p.batchId)).size).toBe(1);
    expect(progress[0]).toMatchObject({ total: N, done: 0 });
    expect(queue.status()).toEqual([]);
    await queue.stop(); // one queue per store, as in the app
  }, 120_000);

  it('counts a photo the change feed marked ready first as done in its batch', async () => {
    // The sync engine marks photos ready from the feed too; here it wins every race: the
    // moment a photo is uploaded, before the queue asks the server about it.
    const albumC = await studio.createAlbum('アルバム C');
    const { store } = mustOpen(join(root, 'c.db'));
    seedAlbum(store, albumC);
    const entry = { store, queues: [] as TestUploadQueue[] };
    opened.push(entry);
    const photos = await generateJpegs(join(root, 'photos-c'), 3, { prefix: 'FEED' });
    await recordImported(store, albumC, photos);
    const q = openUploadQueue(store, await studio.signIn('designer-a'), cloud.ca, {
      log: (e) => {
        if (e.kind === 'uploaded') store.photos.setState(e.photoId, 'ready');
      },
    });
    entry.queues.push(q);
    q.queue.start();
    await q.queue.whenIdle();
    expect(statesOf(store, albumC)).toEqual({ ready: 3 });
    expect(q.progress.at(-1)).toMatchObject({ total: 3, done: 3, failed: 0 });
    await q.queue.stop();
  }, 120_000);

  it('uploads a photo once per album: a second album, a re-queue, another core', async () => {
    // The same five files in album B: uploaded there once.
    const { store, session } = designerA;
    await recordImported(store, albumB, files.slice(0, 5));
    const again = designerA.queueOf();
    again.queue.start();
    await again.queue.whenIdle();
    expect(statesOf(store, albumB)).toEqual({ ready: 5 });
    expect(await serverPhotos(session, albumB)).toHaveLength(5);

    // Re-queued photos of album A are found by the check: nothing is sent again.
    again.queue.retry(store.photos.list(albumA).map((p) => p.id));
    await again.queue.whenIdle();
    expect(again.log.filter((e) => e.kind === 'put')).toHaveLength(5);
    expect(statesOf(store, albumA)).toEqual({ ready: N });

    // Another designer's core, own data directory, imports the same files into album A.
    const other = await core('b', 'designer-b');
    await recordImported(other.store, albumA, files);
    const theirs = other.queueOf();
    theirs.queue.start();
    await theirs.queue.whenIdle();
    expect(theirs.log.filter((e) => e.kind === 'put')).toHaveLength(0);
    expect(theirs.log.filter((e) => e.kind === 'uploaded' && e.dedup)).toHaveLength(N);
    expect(statesOf(other.store, albumA)).toEqual({ ready: N });
    expect(await serverPhotos(session, albumA)).toHaveLength(N);
    expect(await serverPhotos(session, albumB)).toHaveLength(5);
  }, 120_000);

  it('pauses (also across a restart of the queue) and resumes', async () => {
    const { store, session } = await core('pause');
    const album = await studio.createAlbum('一時停止');
    seedAlbum(store, album);
    const batch = await generateJpegs(join(root, 'pause'), 12, { prefix: 'PAUSE' });
    await recordImported(store, album, batch);

    const first = openUploadQueue(store, session, cloud.ca);
    first.queue.start();
    // Pause as soon as the first photo is through.
    await expect
      .poll(() => first.log.some((e) => e.kind === 'uploaded'), { timeout: 60_000, interval: 2 })
      .toBe(true);
    await first.queue.pause();
    // Completed uploads: ready, or still being processed on the server.
    const atPause = (await serverPhotos(session, album)).filter(
      (p) => p.status === 'ready' || p.status === 'processing',
    ).length;
    expect(atPause).toBeGreaterThan(0);
    expect(first.progress[first.progress.length - 1]).toMatchObject({ paused: true });
    await first.close();

    // A new queue on the same store (the app restarted) is still paused. Every upload call it
    // makes (anything but reading a status) and every file it sends is recorded.
    const sent: string[] = [];
    const watched: Pick<CloudSession, 'call'> = {
      call: (spec, ...input) => {
        if (spec.method !== 'GET') sent.push(`${spec.method} ${spec.path}`);
        return session.call(spec, ...input);
      },
    };
    const real = createBlobTransfer({ ca: cloud.ca });
    const watchedTransfer: BlobTransfer = {
      putFile: (url, put) => {
        sent.push('PUT file');
        return real.putFile(url, put);
      },
      close: () => real.close(),
    };
    /** Photos the server has whole (anything past `uploading`). */
    const wholeOnServer = async () =>
      (await serverPhotos(session, album))
        .filter((p) => p.status !== 'uploading')
        .map((p) => p.id)
        .sort();
    const wholeAtRestart = await wholeOnServer();
    const second = openUploadQueue(store, watched, cloud.ca, { transfer: watchedTransfer });
    opened.push({ store: { close: () => undefined } as LocalStore, queues: [second] });
    second.queue.start();
    expect(second.queue.isPaused()).toBe(true);
    // Until its loop has looked at the queued photos and held them (or, were pause broken,
    // has sent something): then nothing may have gone out.
    await expect
      .poll(() => second.log.some((e) => e.kind === 'held') || sent.length > 0, {
        timeout: 30_000,
      })
      .toBe(true);
    expect(sent).toEqual([]);
    const held = second.log.find((e) => e.kind === 'held');
    expect(held).toEqual({ kind: 'held', queued: store.uploadQueue.count() });
    expect(store.uploadQueue.count()).toBeGreaterThan(0);
    expect(second.log.filter((e) => e.kind === 'uploaded')).toHaveLength(0);
    expect(await wholeOnServer()).toEqual(wholeAtRestart);

    second.queue.resume();
    await second.queue.whenIdle();
    expect(statesOf(store, album)).toEqual({ ready: 12 });
    const after = await serverPhotos(session, album);
    expect(after).toHaveLength(12);
    expect(after.every((p) => p.status === 'ready')).toBe(true);
    expect(second.progress[second.progress.length - 1]).toMatchObject({
      total: 12 - first.log.filter((e) => e.kind === 'uploaded').length,
      paused: false,
    });
  }, 120_000);

  it('fails a photo changed after import with its reason; the batch goes on', async () => {
    const { store, session, queueOf } = await core('bad');
    const album = await studio.createAlbum('不良');
    seedAlbum(store, album);
    const batch = await generateJpegs(join(root, 'bad'), 6, { prefix: 'BAD' });
    const [altered, gone, shorter] = batch as [string, string, string];
    await recordImported(store, album, batch);
    // Same size, other bytes: only the server's SHA-256 check can tell.
    const handle = await open(altered, 'r+');
    await handle.write(Buffer.from('weebum'), 0, 6, 2000);
    await handle.close();
    await rm(gone);
    const original = await readFile(shorter);
    await truncate(shorter, 100);

    const { queue, progress, log } = queueOf();
    queue.start();
    await queue.whenIdle();

    const byPath = new Map(store.photos.list(album).map((p) => [p.filePath, p]));
    expect(byPath.get(altered)).toMatchObject({ state: 'failed', failureReason: 'hash_mismatch' });
    expect(byPath.get(gone)).toMatchObject({ state: 'failed', failureReason: 'file_missing' });
    expect(byPath.get(shorter)).toMatchObject({ state: 'failed', failureReason: 'file_changed' });
    expect(statesOf(store, album)).toEqual({ ready: 3, failed: 3 });
    // Refusals are not retried.
    expect(log.filter((e) => e.kind === 'retry')).toHaveLength(0);
    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({ total: 6, done: 3, failed: 3 });
    expect(last.failures).toEqual(
      expect.arrayContaining([
        { fileName: 'BAD_0000.JPG', reason: 'hash_mismatch' },
        { fileName: 'BAD_0001.JPG', reason: 'file_missing' },
        { fileName: 'BAD_0002.JPG', reason: 'file_changed' },
      ]),
    );
    const server = await serverPhotos(session, album);
    expect(server.filter((p) => p.status === 'ready')).toHaveLength(3);
    expect(server.find((p) => p.status === 'failed')?.failure?.reason).toBe('hash_mismatch');

    // Put right and retried: it uploads.
    await writeFile(shorter, original);
    const fixed = byPath.get(shorter)!;
    queue.retry([fixed.id]);
    await queue.whenIdle();
    expect(store.photos.get(fixed.id)).toMatchObject({ state: 'ready', failureReason: null });
    expect(await serverPhotos(session, album)).toHaveLength(5);
  }, 120_000);

  it('retries network and 5xx failures with backoff, then succeeds', async () => {
    const { store, session } = await core('flaky');
    const album = await studio.createAlbum('再試行');
    seedAlbum(store, album);
    const batch = await generateJpegs(join(root, 'flaky'), 4, { prefix: 'FLAKY' });
    await recordImported(store, album, batch);
    const real = createBlobTransfer({ ca: cloud.ca });
    let calls = 0;
    const flaky: BlobTransfer = {
      putFile: (url, put) => {
        calls++;
        if (calls === 1) {
          return Promise.reject(new TransferError('storage_unreachable', 'reset', 0));
        }
        if (calls <= 3) return Promise.reject(new TransferError('s3_InternalError', '503', 503));
        return real.putFile(url, put);
      },
      close: () => real.close(),
    };
    const q = openUploadQueue(store, session, cloud.ca, { transfer: flaky, concurrency: 1 });
    opened.push({ store: { close: () => undefined } as LocalStore, queues: [q] });
    q.queue.start();
    await q.queue.whenIdle();
    expect(statesOf(store, album)).toEqual({ ready: 4 });
    const retries = q.log.filter((e) => e.kind === 'retry');
    expect(retries).toHaveLength(3);
    expect(retries.map((e) => (e.kind === 'retry' ? e.error.split(':')[0] : ''))).toEqual([
      'storage_unreachable',
      's3_InternalError',
      's3_InternalError',
    ]);
    expect(await serverPhotos(session, album)).toHaveLength(4);
  }, 120_000);
  it('starts uploads ahead in batch calls, so that a free slot sends at once', async () => {
    const { store, session } = await core('ahead');
    const album = await studio.createAlbum('先行開始');
    seedAlbum(store, album);
    const photos = await generateJpegs(join(root, 'ahead'), 5, { prefix: 'AHEAD' });
    await recordImported(store, album, photos);
    // The server's answers pass through; the first transfer waits until the batch answered.
    const routes: RouteSpec[] = [];
    let batchAnswered!: () => void;
    const answered = new Promise<void>((resolve) => (batchAnswered = resolve));
    const counting: Pick<CloudSession, 'call'> = {
      call: async (spec, ...input) => {
        routes.push(spec);
        const res = await session.call(spec, ...input);
        if (routes.at(-1) === uploadApi.startBatch) batchAnswered();
        return res;
      },
    };
    const real = createBlobTransfer({ ca: cloud.ca });
    const held: BlobTransfer = {
      putFile: async (url, put) => {
        await answered;
        return real.putFile(url, put);
      },
      close: () => real.close(),
    };
    const q = openUploadQueue(store, counting, cloud.ca, { transfer: held, concurrency: 1 });
    opened.push({ store: { close: () => undefined } as LocalStore, queues: [q] });
    q.queue.start();
    await q.queue.whenIdle();

    expect(statesOf(store, album)).toEqual({ ready: 5 });
    expect(await serverPhotos(session, album)).toHaveLength(5);
    // Every photo was started ahead: the slot's first in a call of its own before any
    // transfer, the others (up to 4 per slot) in calls while it was sending; none was asked
    // for on its own, and the five took fewer calls than photos.
    const started = q.log.flatMap((e) => (e.kind === 'started' ? [e.ahead] : []));
    expect(started).toEqual([true, true, true, true, true]);
    expect(routes.filter((r) => r === uploadApi.startBatch).length).toBeLessThanOrEqual(3);
    expect(routes.filter((r) => r === uploadApi.start)).toHaveLength(0);
  }, 120_000);
  it('does not ask for the status of uploaded photos while it is still sending files', async () => {
    const { store, session } = await core('quiet');
    const album = await studio.createAlbum('送信中');
    seedAlbum(store, album);
    const photos = await generateJpegs(join(root, 'quiet'), 3, { prefix: 'QUIET' });
    await recordImported(store, album, photos);
    const routes: (RouteSpec | 'released')[] = [];
    const counting: Pick<CloudSession, 'call'> = {
      call: (spec, ...input) => {
        routes.push(spec);
        return session.call(spec, ...input);
      },
    };
    // The third file is held until the first two are ready on the server.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const real = createBlobTransfer({ ca: cloud.ca });
    let puts = 0;
    const held: BlobTransfer = {
      putFile: async (url, put) => {
        if (++puts === 3) await released;
        return real.putFile(url, put);
      },
      close: () => real.close(),
    };
    const q = openUploadQueue(store, counting, cloud.ca, {
      transfer: held,
      concurrency: 1,
      statusWhileSendingMs: 600_000,
    });
    opened.push({ store: { close: () => undefined } as LocalStore, queues: [q] });
    q.queue.start();
    await expect
      .poll(
        async () => (await serverPhotos(session, album)).filter((p) => p.status === 'ready').length,
        { timeout: 60_000, interval: 50 },
      )
      .toBe(2);
    routes.push('released');
    release();
    await q.queue.whenIdle();

    expect(statesOf(store, album)).toEqual({ ready: 3 });
    // Status asks are GET .../photos/:photoId.
    const asks = (list: typeof routes) => list.filter((r) => r === photoApi.get);
    const cut = routes.indexOf('released');
    expect(asks(routes.slice(0, cut))).toEqual([]);
    expect(asks(routes.slice(cut)).length).toBeGreaterThan(0);
  }, 120_000);
});
