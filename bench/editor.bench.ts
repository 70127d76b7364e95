/**
 * bench:editor: the page editor in Chromium (Debian's, through Playwright), against a plain
 * Konva stage of the same photos in the same run.
 *
 * - Frames per second while one photo frame is dragged for 3 s on a spread with 150 placed
 *   photos (target 60, the display rate); baseline: the same drag on a plain Konva stage
 *   (no React, no editor) with the same frames and thumbnails. This is the last line.
 * - The renderer's CPU time per frame of the drag (CDP `Performance.getMetrics` ProcessTime),
 *   editor against plain Konva: what each frame costs, less distorted than fps when other
 *   processes share the machine (fps is capped at 60 and falls with their load).
 * - Time from opening a 200-page album to its first page drawn (target under 1 s), in the JSON
 *   with the plain stage's time to build and draw the same photos.
 *
 * The page (bench/editor/) mounts the real AlbumEditor over an in-memory desktop API and is
 * built with Vite into a temporary folder at start. `BENCH_SMOKE=1` or `--smoke`: 20 pages,
 * 10 photos, 0.3 s drags.
 */
import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type {} from './editor/benchPage.js';
import { isSmoke, writeReport } from './lib/report.js';

const smoke = isSmoke();
const PAGES = smoke ? 20 : 200;
const PHOTOS = smoke ? 10 : 150;
const DRAG_MS = smoke ? 300 : 3000;
const TARGET_FPS = 60;
const TARGET_OPEN_MS = 1000;

const benchRoot = fileURLToPath(new URL('./editor/', import.meta.url));
const outDir = await mkdtemp(join(tmpdir(), 'weebum-bench-editor-'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

try {
  await build({
    configFile: false,
    root: benchRoot,
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(outDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(outDir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;

  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(url);
    const openMs = await page.evaluate(([p, n]) => window.bench.openEditor(p, n), [
      PAGES,
      PHOTOS,
    ] as const);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpuSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ProcessTime')
        ?.value ?? Number.NaN;
    /** Runs a drag; its fps and the renderer's CPU ms per frame. */
    const measured = async <T extends { fps: number; frames: number }>(drag: () => Promise<T>) => {
      const before = await cpuSeconds();
      const result = await drag();
      const cpuMs = ((await cpuSeconds()) - before) * 1000;
      return { ...result, cpuMsPerFrame: cpuMs / Math.max(1, result.frames) };
    };
    const editor = await measured(() =>
      page.evaluate((ms) => window.bench.dragInEditor(ms), DRAG_MS),
    );
    const fps = editor.fps;
    await page.goto(url);
    const baseline = await measured(() =>
      page.evaluate(([p, n, ms]) => window.bench.plainKonva(p, n, ms), [
        PAGES,
        PHOTOS,
        DRAG_MS,
      ] as const),
    );
    console.log(
      `editor: first page drawn after ${openMs.toFixed(0)} ms (${PAGES} pages; target <${TARGET_OPEN_MS}), ` +
        `drag ${fps.toFixed(1)} fps with ${PHOTOS} photos; plain Konva: built and drawn in ` +
        `${baseline.openMs.toFixed(0)} ms, drag ${baseline.fps.toFixed(1)} fps; renderer CPU per ` +
        `drag frame ${editor.cpuMsPerFrame.toFixed(2)} ms (plain Konva ` +
        `${baseline.cpuMsPerFrame.toFixed(2)} ms)`,
    );
    writeReport({
      name: 'editor',
      metric: 'drag_fps',
      value: fps,
      unit: 'frames/s',
      target: { op: '>=', value: TARGET_FPS },
      baseline: { what: 'konva_drag_fps', value: baseline.fps },
      ratio: fps / baseline.fps,
      smoke,
      extra: {
        pages: PAGES,
        photos: PHOTOS,
        dragMs: DRAG_MS,
        openMs,
        openTargetMs: TARGET_OPEN_MS,
        openMet: openMs < TARGET_OPEN_MS,
        konvaOpenMs: baseline.openMs,
        cpuMsPerFrame: editor.cpuMsPerFrame,
        konvaCpuMsPerFrame: baseline.cpuMsPerFrame,
        cpuRatio: editor.cpuMsPerFrame / baseline.cpuMsPerFrame,
        openRatio: openMs / baseline.openMs,
      },
    });
  } finally {
    await browser.close();
    server.close();
  }
} finally {
  await rm(outDir, { recursive: true, force: true });
}
