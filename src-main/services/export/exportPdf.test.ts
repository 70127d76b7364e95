import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAlbum } from '../../../src-shared/model/fixtures.js';
import type { Page } from '../../../src-shared/model/page.js';
import { mmToPt } from '../../../src-shared/model/units.js';
import {
  ExportCancelledError,
  ExportInputError,
  exportPdf,
  type ExportPdfInput,
} from './exportPdf.js';
import { CROP_MARK_AREA_MM } from './pdfBoxes.js';
import type { ExportPhoto } from './photoSource.js';
import { blankPage, frame, makePhoto, photoLookup, photoPath } from './testing/exportFixture.js';
import {
  meanAbsoluteDifference,
  regionDifference,
  renderReference,
} from './testing/referenceRender.js';

const run = promisify(execFile);
const FONTS_DIR = join(import.meta.dirname, '../../../assets/fonts');

let dir: string;
let photos: Record<string, ExportPhoto>;
const album = sampleAlbum(); // A4, 3 mm bleed, left binding

const text = (id: string, body: string, vertical: boolean) =>
  ({
    id,
    kind: 'text',
    x: vertical ? 130 : 20,
    y: vertical ? 20 : 250,
    width: vertical ? 60 : 170,
    height: vertical ? 120 : 30,
    rotation: 0,
    locked: false,
    text: body,
    fontFamily: 'IPAexMincho',
    sizePt: 16,
    color: '#1a1a1a',
    align: 'start',
    lineHeight: 1.5,
    vertical,
  }) as const;

function albumPages(): Page[] {
  return [
    // Photos only, for the render comparison: full bleed (pass-through), a 12 MP photo in a
    // small frame (downsampled), a photo with EXIF orientation 6, a filled rectangle.
    blankPage(0, [
      frame('bleed', 'medium', { x: -3, y: -3, width: 216, height: 150 }),
      frame('small', 'big', { x: 20, y: 170, width: 60, height: 45 }),
      frame('turned', 'rotated', { x: 100, y: 170, width: 40, height: 60 }),
      {
        id: 'box',
        kind: 'shape',
        x: 150,
        y: 240,
        width: 40,
        height: 30,
        rotation: 0,
        locked: false,
        shape: 'rect',
        fill: '#3366cc',
        stroke: null,
      },
    ]),
    blankPage(1, [
      text('title', '卒業アルバム 思い出の運動会', false),
      text('poem', '桜の季節「六年間」ありがとう。', true),
      frame('gone', 'missing', { x: 20, y: 150, width: 80, height: 60 }),
    ]),
    blankPage(2, [frame('expired', 'expired', { x: 20, y: 20, width: 80, height: 60 })]),
    blankPage(3, []),
  ];
}

const baseInput = (name: string, overrides: Partial<ExportPdfInput> = {}): ExportPdfInput => ({
  album,
  pages: albumPages(),
  photo: photoLookup(photos),
  destinationPath: join(dir, `${name}.pdf`),
  spreads: false,
  cropMarks: false,
  fontsDir: FONTS_DIR,
  ...overrides,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weebum-export-'));
  await makePhoto(photoPath(dir, 'medium'), 1600, 1100);
  await makePhoto(photoPath(dir, 'big'), 4000, 3000, { hue: 30 });
  await makePhoto(photoPath(dir, 'rotated'), 600, 400, { orientation: 6, hue: 300 });
  photos = {
    medium: { filePath: photoPath(dir, 'medium'), width: 1600, height: 1100, state: 'ready' },
    big: { filePath: photoPath(dir, 'big'), width: 4000, height: 3000, state: 'ready' },
    // Stored landscape, shown portrait: the size the editor and print see.
    rotated: { filePath: photoPath(dir, 'rotated'), width: 400, height: 600, state: 'ready' },
    missing: { filePath: join(dir, 'deleted.jpg'), width: 400, height: 300, state: 'ready' },
    expired: { filePath: photoPath(dir, 'medium'), width: 1600, height: 1100, state: 'expired' },
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** pdfinfo -box for every page: each box as [llx, lly, urx, ury] in points. */
async function boxes(file: string, pages: number) {
  const { stdout } = await run('pdfinfo', ['-box', '-f', '1', '-l', String(pages), file]);
  const result: Record<number, Record<string, number[]>> = {};
  for (const m of stdout.matchAll(
    /^Page\s+(\d+) (MediaBox|CropBox|BleedBox|TrimBox|ArtBox):\s+(.*)$/gm,
  )) {
    (result[Number(m[1])] ??= {})[m[2]!] = m[3]!.trim().split(/\s+/).map(Number);
  }
  return result;
}

const expectBox = (actual: number[] | undefined, mm: [number, number, number, number]) => {
  expect(actual).toHaveLength(4);
  actual!.forEach((v, i) => expect(v).toBeCloseTo(mmToPt(mm[i]!), 1));
};

describe('print-ready PDF, checked with qpdf and poppler', () => {
  it('single pages: valid PDF, MediaBox = trim + bleed, exact TrimBox and BleedBox on every page', async () => {
    const input = baseInput('single');
    const result = await exportPdf(input);
    expect(result).toMatchObject({ sheets: 4, pages: 4 });
    await run('qpdf', ['--check', input.destinationPath]); // rejects on a non-zero exit
    const b = await boxes(input.destinationPath, 4);
    for (const n of [1, 2, 3, 4]) {
      expectBox(b[n]!.MediaBox, [0, 0, 216, 303]);
      expectBox(b[n]!.BleedBox, [0, 0, 216, 303]);
      expectBox(b[n]!.TrimBox, [3, 3, 213, 300]);
    }
  });

  it('crop marks: the media grows by the mark area; trim and bleed stay exact', async () => {
    const input = baseInput('marks', { cropMarks: true });
    await exportPdf(input);
    await run('qpdf', ['--check', input.destinationPath]);
    const m = CROP_MARK_AREA_MM;
    const b = await boxes(input.destinationPath, 4);
    for (const n of [1, 2, 3, 4]) {
      expectBox(b[n]!.MediaBox, [0, 0, 216 + 2 * m, 303 + 2 * m]);
      expectBox(b[n]!.BleedBox, [m, m, m + 216, m + 303]);
      expectBox(b[n]!.TrimBox, [m + 3, m + 3, m + 213, m + 300]);
    }
    // The marks are drawn outside the bleed: the margin is not blank any more.
    const { stdout } = await run(
      'pdftoppm',
      ['-r', '30', '-f', '1', '-l', '1', '-gray', '-png', input.destinationPath],
      {
        encoding: 'buffer',
        maxBuffer: 1 << 26,
      },
    );
    const { data, info } = await sharp(stdout).raw().toBuffer({ resolveWithObject: true });
    const marginPx = Math.floor(((m - 1) / 25.4) * 30);
    let dark = 0;
    for (let y = 0; y < marginPx; y += 1) {
      for (let x = 0; x < info.width; x += 1) if (data[y * info.width + x]! < 200) dark += 1;
    }
    expect(dark).toBeGreaterThan(5);
  });

  it('spreads: two trims side by side, paired as the binding pairs them', async () => {
    const input = baseInput('spreads', { spreads: true });
    const result = await exportPdf(input);
    // Left binding, 4 pages: [-, 1], [2, 3], [4, -]
    expect(result.sheets).toBe(3);
    await run('qpdf', ['--check', input.destinationPath]);
    const b = await boxes(input.destinationPath, 3);
    for (const n of [1, 2, 3]) {
      expectBox(b[n]!.MediaBox, [0, 0, 426, 303]);
      expectBox(b[n]!.TrimBox, [3, 3, 423, 300]);
      expectBox(b[n]!.BleedBox, [0, 0, 426, 303]);
    }
  });

  it('embeds the IPAex font as a subset, and text stays real text', async () => {
    const input = baseInput('fonts', { pageRange: { from: 2, to: 2 } });
    await exportPdf(input);
    const { stdout } = await run('pdffonts', [input.destinationPath]);
    const mincho = stdout.split('\n').find((l) => /IPAexMincho/.test(l));
    expect(mincho).toMatch(/^[A-Z]{6}\+IPAexMincho\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    const { stdout: extracted } = await run('pdftotext', [input.destinationPath, '-']);
    expect(extracted).toContain('卒業アルバム 思い出の運動会');
    for (const char of '桜の季節六年間ありがとう') expect(extracted).toContain(char);
    // The font file itself is not embedded whole: a subset is a few KiB, the font is 7.8 MB.
    const size = (await readFile(input.destinationPath)).length;
    expect(size).toBeLessThan(300_000);
  });

  it('photos: passed through byte for byte at ≤600 PPI, downsampled to 350 PPI above', async () => {
    const input = baseInput('images', { pageRange: { from: 1, to: 1 } });
    const result = await exportPdf(input);
    expect(result).toMatchObject({ passedThrough: 2, downsampled: 1, placeholders: 0 });
    const { stdout } = await run('pdfimages', ['-list', input.destinationPath]);
    const rows = stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => l.trim().split(/\s+/));
    // columns: page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
    const images = rows.map((r) => ({
      width: Number(r[3]),
      height: Number(r[4]),
      ppi: Number(r[12]),
    }));
    expect(images).toHaveLength(3);
    // Filling 216x150 mm, 1600x1100 px is drawn 218.2 mm wide: 186 PPI, the original pixels.
    expect(images).toContainEqual({ width: 1600, height: 1100, ppi: 186 });
    // Stored 600x400 (EXIF orientation 6), 400 px across 40 mm: 254 PPI, passed through.
    expect(images).toContainEqual({ width: 600, height: 400, ppi: 254 });
    // 4000 px across 60 mm would be 1693 PPI: resampled to 350 PPI (60 mm = 827 px).
    const small = images.find((i) => i.width !== 1600 && i.width !== 600)!;
    expect(small.ppi).toBeGreaterThanOrEqual(349);
    expect(small.ppi).toBeLessThanOrEqual(351);
    expect(small.width).toBeGreaterThanOrEqual(826);
    expect(small.width).toBeLessThanOrEqual(828);
    // Pass-through means the very bytes of the original JPEG.
    const extractDir = join(dir, 'extracted');
    await run('mkdir', ['-p', extractDir]);
    await run('pdfimages', ['-j', input.destinationPath, join(extractDir, 'img')]);
    const extracted = await Promise.all(
      (await readdir(extractDir)).map((f) => readFile(join(extractDir, f))),
    );
    const original = await readFile(photos.medium!.filePath);
    expect(extracted.some((e) => e.equals(original))).toBe(true);
  });

  it('looks like the page: a pdftoppm render matches a sharp reference render of the same page', async () => {
    const input = baseInput('render', { pageRange: { from: 1, to: 1 } });
    await exportPdf(input);
    const dpi = 50;
    const page = albumPages()[0]!;
    const reference = await renderReference(album, page, photoLookup(photos), dpi);
    const { stdout } = await run(
      'pdftoppm',
      [
        '-scale-to-x',
        String(reference.width),
        '-scale-to-y',
        String(reference.height),
        '-png',
        input.destinationPath,
      ],
      { encoding: 'buffer', maxBuffer: 1 << 26 },
    );
    const rendered = await sharp(stdout).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([rendered.info.width, rendered.info.height]).toEqual([
      reference.width,
      reference.height,
    ]);
    // Per element, so a misplaced small photo is not averaged away by the rest of the page.
    const px = (mm: number) => Math.round((mm / 25.4) * dpi);
    const differences = (other: Buffer) =>
      page.elements.map((e) =>
        regionDifference(rendered.data, other, reference.width, {
          left: px(e.x + 3),
          top: px(e.y + 3),
          width: px(e.width),
          height: px(e.height),
        }),
      );
    const shifted = {
      ...page,
      elements: page.elements.map((e) => (e.id === 'small' ? { ...e, x: e.x + 3 } : e)),
    };
    const wrong = await renderReference(album, shifted, photoLookup(photos), dpi);
    const unturned = { ...photos, rotated: { ...photos.rotated!, width: 600, height: 400 } };
    const wrong2 = await renderReference(album, page, photoLookup(unturned), dpi);
    // Measured: at most 2.8 (of 255) per element: anti-aliased edges and JPEG re-encoding.
    for (const d of differences(reference.data)) expect(d).toBeLessThan(5);
    // The measure catches real mistakes: the small photo 3 mm off (measured 13), or drawn
    // without its EXIF turn (measured 22).
    expect(Math.max(...differences(wrong.data))).toBeGreaterThan(8);
    expect(Math.max(...differences(wrong2.data))).toBeGreaterThan(8);
    expect(meanAbsoluteDifference(rendered.data, reference.data)).toBeLessThan(3);
    const blank = Buffer.alloc(reference.data.length, 255);
    expect(meanAbsoluteDifference(blank, reference.data)).toBeGreaterThan(20);
  });

  it('draws missing and expired photos as marked placeholders', async () => {
    const input = baseInput('placeholders', { pageRange: { from: 2, to: 3 } });
    const result = await exportPdf(input);
    expect(result.placeholders).toBe(2);
    await run('qpdf', ['--check', input.destinationPath]);
    const { stdout } = await run('pdftotext', [input.destinationPath, '-']);
    expect(stdout.match(/Missing photo/g)).toHaveLength(2);
    // The grey box of the missing photo's frame at (20, 150) mm.
    const { stdout: png } = await run(
      'pdftoppm',
      ['-r', '25.4', '-f', '1', '-l', '1', '-png', input.destinationPath],
      {
        encoding: 'buffer',
        maxBuffer: 1 << 26,
      },
    );
    const { data, info } = await sharp(png)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];
    // 1 px per mm at 25.4 DPI; (3 + 30, 3 + 160) is inside the frame, off the cross and label.
    expect(at(3 + 30, 3 + 160)).toEqual([217, 217, 217]);
  });

  it('strokes shapes inside their box, as the editor draws them', async () => {
    const stroked = blankPage(0, [
      {
        id: 'outlined',
        kind: 'shape',
        x: 20,
        y: 20,
        width: 40,
        height: 30,
        rotation: 0,
        locked: false,
        shape: 'rect',
        fill: null,
        stroke: { color: '#0000ff', widthMm: 4 },
      },
    ]);
    const input = baseInput('stroke', { pages: [stroked] });
    await exportPdf(input);
    const { stdout: png } = await run(
      'pdftoppm',
      ['-r', '127', '-f', '1', '-l', '1', '-png', input.destinationPath],
      { encoding: 'buffer', maxBuffer: 1 << 26 },
    );
    const { data, info } = await sharp(png)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // 5 px per mm at 127 DPI; the media box starts 3 mm (the bleed) before the trim.
    const at = (xMm: number, yMm: number) => {
      const i = (Math.round((yMm + 3) * 5) * info.width + Math.round((xMm + 3) * 5)) * 3;
      return [...data.subarray(i, i + 3)];
    };
    // The left edge's 4 mm stroke covers 20-24 mm, not 18-22 mm.
    expect(at(19, 35)).toEqual([255, 255, 255]);
    expect(at(21, 35)).toEqual([0, 0, 255]);
    expect(at(23, 35)).toEqual([0, 0, 255]);
    expect(at(25, 35)).toEqual([255, 255, 255]);
  });

  it('reports progress per sheet, and a cancelled export leaves no file under the final name', async () => {
    const input = baseInput('cancelled');
    const controller = new AbortController();
    const progress: number[] = [];
    await expect(
      exportPdf({
        ...input,
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p.done);
          if (p.done === 2) controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(ExportCancelledError);
    expect(progress).toEqual([1, 2]);
    const left = await readdir(dir);
    expect(left.filter((f) => f.includes('cancelled'))).toEqual([]);

    // An earlier export under the same name is left as it was.
    await writeFile(input.destinationPath, 'earlier export');
    const again = new AbortController();
    again.abort();
    await expect(exportPdf({ ...input, signal: again.signal })).rejects.toBeInstanceOf(
      ExportCancelledError,
    );
    expect(await readFile(input.destinationPath, 'utf8')).toBe('earlier export');
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);

    const done: number[] = [];
    await exportPdf({ ...input, onProgress: (p) => done.push(p.done * 10 + p.total) });
    expect(done).toEqual([14, 24, 34, 44]);
  });

  it('refuses a page range outside the album with a stable code', async () => {
    for (const pageRange of [
      { from: 0, to: 2 },
      { from: 3, to: 2 },
      { from: 1, to: 5 },
    ]) {
      const error = await exportPdf(baseInput('range', { pageRange })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExportInputError);
      expect((error as ExportInputError).code).toBe('page_range_invalid');
    }
    expect((await readdir(dir)).filter((f) => f.includes('range'))).toEqual([]);
  });
});
