/**
 * bench:export: PDF export, pass-through. 200 pages, each with one 12 MP JPEG filling the
 * page's bleed box (335 PPI: embedded as is), against img2pdf (Debian package) over the same
 * files in the same run: time ratio, target at most 1.5. The export runs in a child process
 * whose peak memory (max RSS) must stay under 1 GiB.
 *
 * The export is timed inside its process (from the call to the renamed file, excluding Node
 * and tsx start-up); img2pdf as its whole process (Python start-up included, ~0.1 s).
 * Metric: the median over rounds of export time / img2pdf time (each round runs both).
 *
 * `BENCH_SMOKE=1` or `--smoke`: 3 small photos, one round (for bench/smoke.test.ts).
 * `BENCH_EXPORT_PAGES=<n>`, `BENCH_EXPORT_ROUNDS=<n>` change the size of a real run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { generatePhotoFiles, PHOTO_HEIGHT, PHOTO_WIDTH } from './lib/exportAlbums.js';
import { exportInChild, GIB, median } from './lib/exportBench.js';
import { isSmoke, writeReport } from './lib/report.js';

const run = promisify(execFile);
const smoke = isSmoke();
const PAGES = smoke ? 3 : Number(process.env.BENCH_EXPORT_PAGES ?? 200);
const ROUNDS = smoke ? 1 : Number(process.env.BENCH_EXPORT_ROUNDS ?? 3);
const size = smoke ? { width: 800, height: 600 } : { width: PHOTO_WIDTH, height: PHOTO_HEIGHT };
const TARGET_RATIO = 1.5;

const root = mkdtempSync(join(tmpdir(), 'weebum-bench-export-'));
const exportMs: number[] = [];
const img2pdfMs: number[] = [];
const peakRss: number[] = [];
const stats = { bytes: 0, pdfBytes: 0 };
try {
  const generateStart = performance.now();
  const files = await generatePhotoFiles(join(root, 'photos'), PAGES, Math.min(PAGES, 10), size);
  stats.bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  console.log(
    `generated ${PAGES} JPEGs in ${((performance.now() - generateStart) / 1000).toFixed(1)} s`,
  );

  const ours = async (round: number) => {
    const out = join(root, `export-${round}.pdf`);
    const child = await exportInChild({ kind: 'full', files, out, ...size });
    if (child.result.passedThrough !== PAGES) {
      throw new Error(`expected ${PAGES} photos passed through, got ${child.result.passedThrough}`);
    }
    exportMs.push(child.ms);
    peakRss.push(child.maxRssBytes);
    stats.pdfBytes = statSync(out).size;
    rmSync(out);
  };
  const theirs = async (round: number) => {
    const out = join(root, `img2pdf-${round}.pdf`);
    const start = performance.now();
    await run('img2pdf', ['-o', out, ...files], { maxBuffer: 1 << 20 });
    img2pdfMs.push(performance.now() - start);
    rmSync(out);
  };
  // Untimed warm-up: the page cache holds the photos for both.
  await theirs(-1);
  img2pdfMs.pop();
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      await ours(round);
      await theirs(round);
    } else {
      await theirs(round);
      await ours(round);
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const ratio = median(exportMs.map((ms, i) => ms / img2pdfMs[i]!));
const peak = Math.max(...peakRss);
console.log(
  `${PAGES} pages, one ${size.width}x${size.height} JPEG each (${(stats.bytes / PAGES / 1e6).toFixed(2)} MB), ` +
    `PDF ${(stats.pdfBytes / 1e6).toFixed(0)} MB; export: ${exportMs.map((ms) => ms.toFixed(0)).join(' / ')} ms; ` +
    `img2pdf: ${img2pdfMs.map((ms) => ms.toFixed(0)).join(' / ')} ms; ` +
    `export peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (limit 1024)`,
);
if (!smoke && peak >= GIB) throw new Error(`peak memory ${peak} bytes is over 1 GiB`);

writeReport({
  name: 'export',
  metric: 'time_ratio',
  value: ratio,
  unit: 'ratio',
  target: { op: '<=', value: TARGET_RATIO },
  baseline: { what: 'img2pdf_ms', value: median(img2pdfMs) },
  ratio,
  smoke,
  extra: {
    pages: PAGES,
    photoWidth: size.width,
    photoHeight: size.height,
    photoBytes: stats.bytes,
    pdfBytes: stats.pdfBytes,
    rounds: ROUNDS,
    exportMs,
    img2pdfMs,
    exportPeakRssBytes: peakRss,
    peakRssLimitBytes: GIB,
  },
});
