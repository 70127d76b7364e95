/**
 * bench:export-layout: PDF export of a typical album, 200 pages with 800 12 MP photos at layout
 * sizes (2 x 2 frames of 95 x 71.25 mm: ~1070 PPI, so each is downsampled to 350 PPI), against a
 * bare sharp loop resizing the same photos to the same pixel sizes (same JPEG quality, same
 * concurrency) in the same run: time ratio, target at most 1.3. The export runs in a child
 * process whose peak memory (max RSS) must stay under 1 GiB.
 *
 * `BENCH_SMOKE=1` or `--smoke`: 4 small photos (still above 600 PPI), one round.
 * `BENCH_EXPORT_LAYOUT_PHOTOS=<n>`, `BENCH_EXPORT_LAYOUT_ROUNDS=<n>` change a real run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { planPhoto } from '../src-main/services/export/photoPlan.js';
import { DEFAULT_PLACEMENT } from '../src-shared/model/page.js';
import {
  generatePhotoFiles,
  LAYOUT_FRAMES,
  PHOTO_HEIGHT,
  PHOTO_WIDTH,
} from './lib/exportAlbums.js';
import { exportInChild, GIB, median } from './lib/exportBench.js';
import { isSmoke, writeReport } from './lib/report.js';

const smoke = isSmoke();
const PHOTOS = smoke ? 4 : Number(process.env.BENCH_EXPORT_LAYOUT_PHOTOS ?? 800);
const ROUNDS = smoke ? 1 : Number(process.env.BENCH_EXPORT_LAYOUT_ROUNDS ?? 3);
const size = smoke ? { width: 2400, height: 1800 } : { width: PHOTO_WIDTH, height: PHOTO_HEIGHT };
const TARGET_RATIO = 1.3;
/** The export's default number of sharp jobs at once (exportPdf's imageConcurrency). */
const CONCURRENCY = 2;

const plan = planPhoto(
  LAYOUT_FRAMES[0]!,
  { widthPx: size.width, heightPx: size.height },
  DEFAULT_PLACEMENT,
);
if (plan.kind !== 'downsample') throw new Error('the layout photos must be downsampled');

/** The baseline: decode, resize to the same pixels, encode the same way; nothing else. */
async function bareSharpLoop(files: readonly string[]): Promise<number> {
  if (plan.kind !== 'downsample') throw new Error('unreachable');
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < files.length) {
        const file = files[next++]!;
        await sharp(file)
          .rotate()
          .resize(plan.resizeTo.widthPx, plan.resizeTo.heightPx, { fit: 'fill' })
          .extract(plan.extract)
          .jpeg({ quality: 92 })
          .toBuffer();
      }
    }),
  );
  return performance.now() - start;
}

const root = mkdtempSync(join(tmpdir(), 'weebum-bench-export-layout-'));
const exportMs: number[] = [];
const loopMs: number[] = [];
const peakRss: number[] = [];
try {
  const generateStart = performance.now();
  const files = await generatePhotoFiles(join(root, 'photos'), PHOTOS, Math.min(PHOTOS, 20), size);
  console.log(
    `generated ${PHOTOS} JPEGs in ${((performance.now() - generateStart) / 1000).toFixed(1)} s`,
  );
  const ours = async (round: number) => {
    const out = join(root, `export-${round}.pdf`);
    const child = await exportInChild({ kind: 'layout', files, out, ...size });
    if (child.result.downsampled !== PHOTOS) {
      throw new Error(`expected ${PHOTOS} photos downsampled, got ${child.result.downsampled}`);
    }
    exportMs.push(child.ms);
    peakRss.push(child.maxRssBytes);
    rmSync(out);
  };
  await bareSharpLoop(files.slice(0, 4)); // untimed warm-up
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      await ours(round);
      loopMs.push(await bareSharpLoop(files));
    } else {
      loopMs.push(await bareSharpLoop(files));
      await ours(round);
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const ratio = median(exportMs.map((ms, i) => ms / loopMs[i]!));
const peak = Math.max(...peakRss);
console.log(
  `${PHOTOS} photos ${size.width}x${size.height} on ${Math.ceil(PHOTOS / 4)} pages, resized to ` +
    `${plan.resizeTo.widthPx}x${plan.resizeTo.heightPx}; export: ${exportMs.map((ms) => ms.toFixed(0)).join(' / ')} ms; ` +
    `sharp loop: ${loopMs.map((ms) => ms.toFixed(0)).join(' / ')} ms; ` +
    `export peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (limit 1024)`,
);
if (!smoke && peak >= GIB) throw new Error(`peak memory ${peak} bytes is over 1 GiB`);

writeReport({
  name: 'export-layout',
  metric: 'time_ratio',
  value: ratio,
  unit: 'ratio',
  target: { op: '<=', value: TARGET_RATIO },
  baseline: { what: 'sharp_loop_ms', value: median(loopMs) },
  ratio,
  smoke,
  extra: {
    photos: PHOTOS,
    pages: Math.ceil(PHOTOS / 4),
    photoWidth: size.width,
    photoHeight: size.height,
    resizeTo: plan.resizeTo,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    exportMs,
    loopMs,
    exportPeakRssBytes: peakRss,
    peakRssLimitBytes: GIB,
  },
});
