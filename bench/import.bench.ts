/**
 * bench:import: photo import (hash + EXIF + header check + thumbnail + record in SQLite) of N
 * 12 MP camera JPEGs, as a ratio against a bare sharp thumbnail loop over the same files with
 * the same concurrency, in the same run (DESIGN.md "Performance targets": at most 1.2).
 *
 * The files (4000 x 3000, EXIF date, every other one held sideways) are generated once into a
 * temporary folder; each round runs the loop and the import into fresh folders and a fresh
 * database, so no thumbnail is reused. The worker pool is started before timing, as the app
 * starts it once; its start-up time is reported beside the result.
 *
 * Metric: the median over rounds of import time / loop time (each round runs both).
 *
 * `BENCH_SMOKE=1` or `--smoke`: 3 files, one round (for bench/smoke.test.ts).
 * `BENCH_IMPORT_FILES=<n>`, `BENCH_IMPORT_ROUNDS=<n>` change the size of a real run.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { importPhotos } from '../src-main/services/import/importPhotos.js';
import {
  createImportWorkerPool,
  defaultImportWorkers,
} from '../src-main/services/import/importWorkerPool.js';
import { THUMBNAIL_EDGE, THUMBNAIL_QUALITY } from '../src-main/services/import/processFile.js';
import { openSqliteImportSink } from '../src-main/services/import/testing/sqliteImportSink.js';
import { isSmoke, writeReport } from './lib/report.js';

const smoke = isSmoke();
const FILES = smoke ? 3 : Number(process.env.BENCH_IMPORT_FILES ?? 40);
const ROUNDS = smoke ? 1 : Number(process.env.BENCH_IMPORT_ROUNDS ?? 5);
const WORKERS = defaultImportWorkers();
const TARGET_RATIO = 1.2;
const ALBUM = '5f0c5a52-2f55-4a39-9f5e-0000000000be';

const root = mkdtempSync(join(tmpdir(), 'weebum-bench-import-'));
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** N different 12 MP JPEGs that compress like photos (blurred noise), with camera EXIF. */
async function generatePhotos(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const base = await sharp({
    create: {
      width: 4000,
      height: 3000,
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
      .linear(1, i % 50) // a different picture each time: no duplicates
      .withExif({
        IFD0: { Make: 'Canon', Model: 'EOS R6' },
        IFD2: { DateTimeOriginal: `2026:03:15 10:${String(i % 60).padStart(2, '0')}:00` },
      })
      .withMetadata({ orientation: i % 2 ? 6 : 1 })
      .jpeg({ quality: 92 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

/** The baseline: what any thumbnailer must do at least, with the import's concurrency. */
async function bareThumbnailLoop(files: readonly string[], outDir: string): Promise<number> {
  mkdirSync(outDir, { recursive: true });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < files.length) {
        const i = next++;
        await sharp(files[i])
          .rotate()
          .resize({
            width: THUMBNAIL_EDGE,
            height: THUMBNAIL_EDGE,
            fit: 'inside',
            withoutEnlargement: true,
          })
          .jpeg({ quality: THUMBNAIL_QUALITY })
          .toFile(join(outDir, `${i}.jpg`));
      }
    }),
  );
  return performance.now() - start;
}

const generateStart = performance.now();
const photosDir = join(root, 'photos');
const files = await generatePhotos(photosDir, FILES);
const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
const generateMs = performance.now() - generateStart;

const poolStart = performance.now();
const pool = createImportWorkerPool({ size: WORKERS });
await pool.ready();
const poolStartMs = performance.now() - poolStart;

async function timedImport(round: number): Promise<number> {
  const sink = openSqliteImportSink(join(root, `store-${round}.sqlite`));
  try {
    const start = performance.now();
    const summary = await importPhotos({
      albumId: ALBUM,
      paths: [photosDir],
      sink,
      thumbnailsDir: join(root, `thumbnails-${round}`),
      workers: pool,
    });
    const elapsed = performance.now() - start;
    if (summary.imported.length !== files.length || sink.photos(ALBUM).length !== files.length) {
      throw new Error(`round ${round}: imported ${summary.imported.length} of ${files.length}`);
    }
    return elapsed;
  } finally {
    sink.close();
  }
}

const baselineMs: number[] = [];
const importMs: number[] = [];
try {
  // Untimed warm-up of both paths (libvips, the workers' first sharp calls, the page cache).
  await bareThumbnailLoop(files.slice(0, WORKERS), join(root, 'warmup-loop'));
  await timedImport(-1);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so neither side always runs on a warmer machine.
    if (round % 2 === 0) {
      baselineMs.push(await bareThumbnailLoop(files, join(root, `loop-${round}`)));
      importMs.push(await timedImport(round));
    } else {
      importMs.push(await timedImport(round));
      baselineMs.push(await bareThumbnailLoop(files, join(root, `loop-${round}`)));
    }
    if (readdirSync(join(root, `loop-${round}`)).length !== files.length) {
      throw new Error('the baseline did not write every thumbnail');
    }
  }
} finally {
  await pool.close();
  rmSync(root, { recursive: true, force: true });
}

const baseline = median(baselineMs);
const imported = median(importMs);
// Each round's two runs sit next to each other in time: the median of their ratios shrugs off
// load from other processes better than a ratio of medians.
const ratio = median(importMs.map((ms, i) => ms / baselineMs[i]!));
const perSecond = (ms: number) => (files.length / ms) * 1000;
console.log(
  `${files.length} JPEGs of 4000x3000 (${(bytes / files.length / 1e6).toFixed(2)} MB each), ` +
    `${WORKERS} workers, ${ROUNDS} rounds (generated in ${(generateMs / 1000).toFixed(1)} s; ` +
    `pool start ${poolStartMs.toFixed(0)} ms, not timed)`,
);
console.log(
  `bare sharp loop: ${baselineMs.map((ms) => ms.toFixed(0)).join(' / ')} ms, ` +
    `median ${perSecond(baseline).toFixed(1)} photos/s; ` +
    `import: ${importMs.map((ms) => ms.toFixed(0)).join(' / ')} ms, ` +
    `median ${perSecond(imported).toFixed(1)} photos/s`,
);

writeReport({
  name: 'import',
  metric: 'time_ratio',
  value: ratio,
  unit: 'ratio',
  target: { op: '<=', value: TARGET_RATIO },
  baseline: { what: 'sharp_loop_ms', value: baseline },
  ratio,
  smoke,
  extra: {
    files: files.length,
    width: 4000,
    height: 3000,
    bytes,
    workers: WORKERS,
    rounds: ROUNDS,
    baselineMs,
    importMs,
    importMedianMs: imported,
    roundRatios: importMs.map((ms, i) => ms / baselineMs[i]!),
    baselinePhotosPerSecond: perSecond(baseline),
    importPhotosPerSecond: perSecond(imported),
    poolStartMs,
  },
});
