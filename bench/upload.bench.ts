/**
 * bench:upload: throughput of the desktop core's upload queue sending M 12 MP camera JPEGs
 * (the files of bench:import) through a real Weebum Cloud to S3 (s3rver), until every upload
 * is completed on the server, as a ratio against `rclone copy` of the same files to the same
 * s3rver endpoint in the same run (DESIGN.md "Performance targets": at least 1.0). Beside it:
 * the time until every photo is `ready` (the server verifies SHA-256 and makes derivatives).
 *
 * The cloud keeps its rows in the machine's PostgreSQL (a database of its own, TEST_DATABASE_URL
 * as in the tests), since production runs on PostgreSQL; `BENCH_DIALECT=pglite` measures the
 * embedded one, whose WebAssembly engine shares the 2 cores with s3rver and the queue.
 *
 * Both sides use 4 transfers at a time (the queue's default, rclone's default `--transfers`).
 * s3rver runs in a process of its own, the cloud in another (its CLI), the queue here. Each
 * round uploads into a fresh album (no dedup) from a fresh local store, and rclone into a fresh
 * prefix; the order of the two alternates between rounds. The files are hashed and recorded
 * before timing, as import does. Metric: the median over rounds of queue MB/s / rclone MB/s.
 *
 * rclone (Debian package `rclone`, installed by .ci/run) runs with a config passed through
 * RCLONE_CONFIG_* variables and with AWS_CA_BUNDLE unset (rclone 1.60 fails to load the
 * system bundle that variable points at; s3rver is plain http on loopback anyway).
 *
 * `BENCH_SMOKE=1` or `--smoke`: 3 small files, one round (for bench/smoke.test.ts).
 * `BENCH_UPLOAD_FILES=<n>`, `BENCH_UPLOAD_ROUNDS=<n>` change the size of a real run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { createBlobTransfer } from '../src-main/services/upload/blobTransfer.js';
import { recordImported, serverPhotos } from '../src-main/services/upload/testing/uploadFixture.js';
import {
  createUploadQueue,
  DEFAULT_UPLOAD_CONCURRENCY,
} from '../src-main/services/upload/uploadQueue.js';
import { mustOpen, seedAlbum } from '../src-main/services/store/testing/tempStore.js';
import { disposeCloudProcess, startCloudProcess } from '../src-main/testing/cloudProcess.js';
import type { CloudS3Options } from '../src-main/testing/cloudProcess.js';
import { setUpStudio } from '../src-main/testing/cloudFixture.js';
import { createTestDatabase, DIALECTS, type Dialect } from '../src-server/testing/testDatabase.js';
import { isSmoke, writeReport } from './lib/report.js';

const run = promisify(execFile);
const smoke = isSmoke();
const FILES = smoke ? 3 : Number(process.env.BENCH_UPLOAD_FILES ?? 40);
const ROUNDS = smoke ? 1 : Number(process.env.BENCH_UPLOAD_ROUNDS ?? 3);
const TARGET_RATIO = 1.0;
const LOGIN = 'bench-designer';
const MB = 1024 * 1024;

const DIALECT = (process.env.BENCH_DIALECT ?? 'postgres') as Dialect;
if (!DIALECTS.includes(DIALECT))
  throw new Error(`BENCH_DIALECT must be one of ${DIALECTS.join(', ')}`);

const root = mkdtempSync(join(tmpdir(), 'weebum-bench-upload-'));
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The files of bench:import: 12 MP, blurred noise (compresses like a photo), camera EXIF. */
async function generatePhotos(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const [width, height] = smoke ? [800, 600] : [4000, 3000];
  const base = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 90, g: 140, b: 200 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .blur(1.5)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `IMG_${String(i + 1).padStart(4, '0')}.JPG`);
    await sharp(base.data, { raw: base.info })
      .linear(1, i % 50)
      .withExif({
        IFD0: { Make: 'Canon', Model: 'EOS R6' },
        IFD2: { DateTimeOriginal: `2026:03:15 10:${String(i % 60).padStart(2, '0')}:00` },
      })
      .jpeg({ quality: 92 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

async function startS3rverProcess(): Promise<{ s3: CloudS3Options; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./lib/s3rverChild.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { s3: JSON.parse(line) as CloudS3Options, child };
}

/** `rclone copy` of the folder to `<bucket>/<prefix>`; milliseconds. */
async function rcloneCopy(s3: CloudS3Options, dir: string, prefix: string): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
    RCLONE_CONFIG_BENCH_ENDPOINT: s3.endpoint,
    RCLONE_CONFIG_BENCH_REGION: 'ap-northeast-1',
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: s3.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: s3.secretAccessKey,
    RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
  };
  delete env.AWS_CA_BUNDLE;
  const start = performance.now();
  await run(
    'rclone',
    [
      'copy',
      dir,
      `bench:${s3.bucket}/${prefix}`,
      '--config',
      join(root, 'rclone.conf'),
      '--transfers',
      String(DEFAULT_UPLOAD_CONCURRENCY),
      '--s3-no-check-bucket',
    ],
    { env },
  );
  return performance.now() - start;
}

const { s3, child: s3rver } = await startS3rverProcess();
const database = DIALECT === 'postgres' ? await createTestDatabase('postgres') : undefined;
const cloud = await startCloudProcess({
  s3,
  // One address (loopback) sends every round's requests: the per-address limit is raised, as
  // in bench:server, so that no round waits for a 429's Retry-After.
  env: { WEEBUM_RATE_LIMIT_MAX: '100000' },
  ...(database?.url === undefined ? {} : { databaseUrl: database.url }),
});
try {
  await run('rclone', ['version']).catch(() => {
    throw new Error('rclone is missing: apt-get install -y rclone (.ci/run installs it)');
  });
  const studio = await setUpStudio(cloud, { designers: [LOGIN] });
  const photosDir = join(root, 'photos');
  const files = await generatePhotos(photosDir, FILES);
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

  const rounds: {
    queueMs: number;
    readyMs: number;
    transferMs: number;
    rcloneMs: number;
    ratio: number;
  }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const albumId = await studio.createAlbum(`bench ${round}`);
    const { store } = mustOpen(join(root, `studio-${round}.db`));
    seedAlbum(store, albumId);
    await recordImported(store, albumId, files);
    const session = await studio.signIn(LOGIN);
    const transfer = createBlobTransfer({ ca: cloud.ca });
    let lastByte = 0;
    let lastCompleted = 0;
    let completed = 0;
    let allCompleted!: () => void;
    const uploaded = new Promise<void>((resolve) => (allCompleted = resolve));
    const queue = createUploadQueue({
      store,
      cloud: session,
      transfer,
      log: (e) => {
        if (e.kind === 'put' || (e.kind === 'part' && e.action === 'put')) {
          lastByte = performance.now();
        }
        if (e.kind === 'uploaded') {
          lastCompleted = performance.now();
          if (++completed === FILES) allCompleted();
        }
        if (e.kind === 'failed') throw new Error(`a photo failed: ${e.reason}`);
      },
    });

    const uploadRound = async () => {
      const start = performance.now();
      queue.start();
      // Every upload completed on the server.
      await uploaded;
      const queueMs = lastCompleted - start;
      // Ready: the server has verified and processed every photo. Asked here every 100 ms, not
      // through the queue, whose status asks back off (in the app the change feed tells).
      for (;;) {
        const photos = await serverPhotos(session, albumId);
        if (photos.length === FILES && photos.every((p) => p.status === 'ready')) break;
        if (photos.some((p) => p.status === 'failed')) throw new Error('a photo failed');
        await new Promise((r) => setTimeout(r, 100));
      }
      return { queueMs, readyMs: performance.now() - start, transferMs: lastByte - start };
    };
    let timing: { queueMs: number; readyMs: number; transferMs: number };
    let rcloneMs: number;
    if (round % 2 === 0) {
      rcloneMs = await rcloneCopy(s3, photosDir, `rclone-${round}`);
      timing = await uploadRound();
    } else {
      timing = await uploadRound();
      rcloneMs = await rcloneCopy(s3, photosDir, `rclone-${round}`);
    }
    await queue.stop();
    transfer.close();
    store.close();
    const ratio = rcloneMs / timing.queueMs;
    rounds.push({ ...timing, rcloneMs, ratio });
    console.log(
      `round ${round + 1}: queue ${(timing.queueMs / 1000).toFixed(2)} s ` +
        `(${(bytes / MB / (timing.queueMs / 1000)).toFixed(1)} MB/s; last byte stored after ` +
        `${(timing.transferMs / 1000).toFixed(2)} s), ready after ` +
        `${(timing.readyMs / 1000).toFixed(2)} s; rclone ${(rcloneMs / 1000).toFixed(2)} s ` +
        `(${(bytes / MB / (rcloneMs / 1000)).toFixed(1)} MB/s); ratio ${ratio.toFixed(2)}`,
    );
  }
  studio.close();

  const queueMs = median(rounds.map((r) => r.queueMs));
  const rcloneMs = median(rounds.map((r) => r.rcloneMs));
  const readyMs = median(rounds.map((r) => r.readyMs));
  const transferMs = median(rounds.map((r) => r.transferMs));
  const mbps = (ms: number) => bytes / MB / (ms / 1000);
  const ratio = median(rounds.map((r) => r.ratio));
  console.log(
    `${FILES} files, ${(bytes / MB).toFixed(1)} MB: queue ${mbps(queueMs).toFixed(1)} MB/s, ` +
      `rclone ${mbps(rcloneMs).toFixed(1)} MB/s, every photo ready after ` +
      `${(readyMs / 1000).toFixed(2)} s; last byte stored after ` +
      `${(transferMs / 1000).toFixed(2)} s (${mbps(transferMs).toFixed(1)} MB/s) (median of ${ROUNDS}, ${DIALECT})`,
  );
  writeReport({
    name: 'upload',
    metric: 'throughput_ratio',
    value: ratio,
    unit: 'x',
    target: { op: '>=', value: TARGET_RATIO },
    baseline: { what: 'rclone_mb_s', value: mbps(rcloneMs) },
    ratio,
    extra: {
      files: FILES,
      bytes,
      rounds,
      queueMbPerS: mbps(queueMs),
      rcloneMbPerS: mbps(rcloneMs),
      queueSeconds: queueMs / 1000,
      rcloneSeconds: rcloneMs / 1000,
      readySeconds: readyMs / 1000,
      /** Until the last byte was stored, before the server finished completing. */
      transferSeconds: transferMs / 1000,
      transferMbPerS: mbps(transferMs),
      concurrency: DEFAULT_UPLOAD_CONCURRENCY,
      dialect: DIALECT,
    },
  });
} finally {
  await disposeCloudProcess(cloud);
  await database?.dispose();
  s3rver.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}
