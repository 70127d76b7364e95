/**
 * Issue 5, done when: the desktop core's upload queue runs in a child process, is killed with
 * SIGKILL mid-upload (after some but not all photos completed), is started again and finishes:
 * the server has exactly the expected photos, none twice (counted through the API). Once on the
 * cloud's local blob store: 200 generated JPEGs and bad files imported through the app's import
 * (workers, the store's sink), killed twice. Once with S3 through s3rver: killed in the middle
 * of a multipart upload, whose recorded parts are not sent again.
 */
import { spawn } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disposeCloudProcess,
  startCloudProcess,
  type CloudProcess,
} from '../../testing/cloudProcess.js';
import { setUpStudio, type StudioFixture } from '../../testing/cloudFixture.js';
import { startS3rver, type S3rverServer } from '../../testing/s3rverServer.js';
import { storeImportSink } from '../core/storeImportSink.js';
import { importPhotos } from '../import/importPhotos.js';
import { createImportWorkerPool } from '../import/importWorkerPool.js';
import { mustOpen, seedAlbum, tempDir } from '../store/testing/tempStore.js';
import {
  generateJpegs,
  generateLargeTiff,
  recordImported,
  serverPhotos,
} from './testing/uploadFixture.js';
import type { UploadLogEvent } from './uploadQueue.js';

const CHILD = fileURLToPath(new URL('./testing/uploadChild.ts', import.meta.url));
/** Photos per variant: the 200 through import; 40 and a TIFF for the S3 multipart. */
const N = { local: 200, s3: 40 } as const;
const LOGIN = 'designer-k';

type ChildEvent = UploadLogEvent | { kind: 'started' | 'idle' | 'progress'; queued?: number };

interface ChildRun {
  readonly events: ChildEvent[];
  readonly killed: boolean;
  readonly code: number | null;
}

describe.each(['local', 's3'] as const)('SIGKILL during upload (%s blob store)', (blobs) => {
  let s3: S3rverServer | undefined;
  let cloud: CloudProcess;
  let studio: StudioFixture;
  let root: string;
  let albumId: string;
  let dbFile: string;
  let caFile: string;

  beforeAll(async () => {
    root = tempDir('weebum-upload-kill-');
    if (blobs === 's3') s3 = await startS3rver();
    cloud = await startCloudProcess(s3 ? { s3: s3.s3 } : {});
    studio = await setUpStudio(cloud, { designers: [LOGIN] });
    albumId = await studio.createAlbum();
    caFile = join(root, 'ca.pem');
    await writeFile(caFile, cloud.ca);
    dbFile = join(root, 'studio.db');
  }, 180_000);

  afterAll(async () => {
    studio?.close();
    await disposeCloudProcess(cloud);
    await s3?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Runs the child until it is idle, or kills it with SIGKILL once `killWhen` says so. */
  function runChild(killWhen?: (events: readonly ChildEvent[]) => boolean): Promise<ChildRun> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        UPLOAD_CHILD_DB: dbFile,
        UPLOAD_CHILD_SERVER: cloud.url,
        UPLOAD_CHILD_CA: caFile,
        UPLOAD_CHILD_LOGIN: LOGIN,
        UPLOAD_CHILD_PASSWORD: studio.users.get(LOGIN)!.password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: ChildEvent[] = [];
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      events.push(JSON.parse(line) as ChildEvent);
      if (!killed && killWhen?.(events)) {
        killed = child.kill('SIGKILL');
      }
    });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => {
        if (!killed && code !== 0) reject(new Error(`upload child exited ${code}:\n${stderr}`));
        else resolve({ events, killed, code });
      });
    });
  }

  const uploaded = (events: readonly ChildEvent[]) =>
    events.filter((e) => e.kind === 'uploaded').length;

  /** What the store says after a kill: some photos through, some still queued. */
  function localState() {
    const { store } = mustOpen(dbFile);
    try {
      const states = store.photos.countByState(albumId);
      return {
        through: (states.ready ?? 0) + (states.uploaded ?? 0),
        queued: store.uploadQueue.count(),
        states,
      };
    } finally {
      store.close();
    }
  }

  it('finishes after SIGKILL and a restart with exactly the expected photos, none twice', async () => {
    const photosDir = join(root, 'photos');
    const files =
      blobs === 'local'
        ? await generateJpegs(photosDir, N.local)
        : await generateJpegs(photosDir, N.s3, { width: 1600, height: 1200 });
    const { store } = mustOpen(dbFile);
    seedAlbum(store, albumId);
    let expected: number = N[blobs];
    let tiffId: string | undefined;
    if (blobs === 's3') {
      // 30 JPEGs, the 69 MB TIFF (multipart), 10 more: queued in that order.
      await recordImported(store, albumId, files.slice(0, 30));
      await new Promise((r) => setTimeout(r, 5));
      const tiff = await generateLargeTiff(join(root, 'photos', 'SCAN_0001.TIF'));
      tiffId = (await recordImported(store, albumId, [tiff]))[0]!.id;
      await new Promise((r) => setTimeout(r, 5));
      await recordImported(store, albumId, files.slice(30));
      expected = N.s3 + 1;
    } else {
      // Bad files among the good ones: each fails with its reason, the batch goes on.
      await writeFile(join(photosDir, 'EMPTY.JPG'), '');
      await writeFile(join(photosDir, 'notes.jpg'), '卒業アルバム: not a photo\n');
      await copyFile(files[0]!, join(photosDir, 'COPY_OF_0000.JPG')); // a duplicate: skipped
      const whole = await readFile(files[1]!);
      await writeFile(join(photosDir, 'TRUNCATED.JPG'), whole.subarray(0, whole.length >> 1));
      const workers = createImportWorkerPool({ size: 2 });
      try {
        const summary = await importPhotos({
          albumId,
          paths: [photosDir],
          sink: storeImportSink(store, 'kill-test-batch'),
          batchId: 'kill-test-batch',
          thumbnailsDir: join(root, 'thumbnails'),
          workers,
        });
        expect(summary.imported).toHaveLength(N.local);
        expect(summary.skippedDuplicates).toBe(1);
        expect(
          Object.fromEntries(
            summary.failures.map((f) => [f.path.slice(photosDir.length + 1), f.reason]),
          ),
        ).toEqual({
          'EMPTY.JPG': 'empty_file',
          'notes.jpg': 'not_an_image',
          'TRUNCATED.JPG': 'corrupt_image',
        });
      } finally {
        await workers.close();
      }
      expect(store.uploadQueue.count()).toBe(N.local);
    }
    store.close();

    const runs: ChildRun[] = [];
    if (blobs === 'local') {
      // Killed twice, each time after at least 30 more photos went through.
      for (let k = 0; k < 2; k++) {
        const run = await runChild((events) => uploaded(events) >= 30);
        expect(run.killed).toBe(true);
        runs.push(run);
        const after = localState();
        expect(after.through).toBeGreaterThanOrEqual(30 * (k + 1));
        expect(after.queued).toBeGreaterThan(0);
      }
    } else {
      // Killed while the TIFF's parts are going (some recorded in the store, not all) and
      // after some photos went through.
      const run = await runChild((events) => {
        const parts = events.filter(
          (e) => e.kind === 'part' && e.photoId === tiffId && e.action === 'put',
        ).length;
        return parts >= 1 && parts < 9 && uploaded(events) >= 1;
      });
      expect(run.killed).toBe(true);
      runs.push(run);
      const after = localState();
      expect(after.through).toBeGreaterThan(0);
      expect(after.queued).toBeGreaterThan(0);
    }
    const last = await runChild();
    expect(last.killed).toBe(false);
    runs.push(last);
    expect(last.events[last.events.length - 1]).toEqual({ kind: 'idle' });

    const { store: done } = mustOpen(dbFile);
    try {
      expect(done.photos.countByState(albumId)).toEqual({ ready: expected });
      expect(done.uploadQueue.count()).toBe(0);
    } finally {
      done.close();
    }
    const onServer = await serverPhotos(await studio.signIn(LOGIN), albumId);
    expect(onServer).toHaveLength(expected);
    expect(new Set(onServer.map((p) => p.sha256)).size).toBe(expected);
    expect(onServer.filter((p) => p.status === 'ready')).toHaveLength(expected);

    if (tiffId !== undefined) {
      // Parts sent before the kill were not sent again: resumed from the recorded parts.
      const partsPut = (run: ChildRun) =>
        run.events.flatMap((e) =>
          e.kind === 'part' && e.photoId === tiffId && e.action === 'put' ? [e.partNumber] : [],
        );
      const before = partsPut(runs[0]!);
      const afterKill = partsPut(last);
      expect(before.length).toBeGreaterThan(0);
      expect(afterKill.filter((n) => before.includes(n))).toEqual([]);
      expect([...before, ...afterKill].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 9 }, (_, i) => i + 1),
      );
      expect(
        last.events.some((e) => e.kind === 'part' && e.photoId === tiffId && e.action !== 'put'),
      ).toBe(true);
    }
  }, 480_000);
});
