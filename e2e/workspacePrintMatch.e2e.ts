import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type KonvaNamespace from 'konva';
import {
  COMPARE_BLUR_PX,
  compareRenders,
  diffImage,
  PRINT_MATCH_THRESHOLD,
  type PixelRegion,
  type RawImage,
} from '../src-main/services/export/testing/compareRenders.js';
import type { MethodArgs, MethodName, MethodResult } from '../src-shared/desktop/contract.js';
import { desktopCall } from './desktopCall.js';
import type { Element, Page as AlbumPage } from '../src-shared/model/page.js';
import { cloudApi } from './cloudApi.js';
import { readStack } from './stack.js';

/**
 * Issue 9's "the PDF looks like the editor": one page with a cropped photo background (over
 * the bleed), a cropped photo, Gothic and Mincho text (縦書き too), a rectangle, an ellipse and
 * a line with fill and stroke, rotated elements, drawn by the real editor (react-konva in
 * Chromium, the content layer alone: no selection, guides, badges or trim/bleed lines) and
 * exported by the desktop API's `export.pdf`, then rendered with pdftoppm. Both are the bleed box (the PDF's MediaBox without crop marks) at
 * 127 dpi, exactly 5 px per mm, and are compared pixel by pixel, over the page and over each
 * element's box (PRINT_MATCH_THRESHOLD, src-main/services/export/testing/compareRenders.ts).
 * The two renders and the diff are saved to e2e/screenshots/print-match-*.png.
 *
 * Named to run after studio.e2e.ts, which signs the operator in with the temporary password
 * through the UI; run alone, this file does that step itself through the cloud API.
 */
test.describe.configure({ mode: 'serial' });

const execFileAsync = promisify(execFile);

const ADMIN_LOGIN = 'print-admin';
const ADMIN_PASSWORD = 'print-admin-pass-2026';
const ALBUM_TITLE = '令和8年度 印刷確認アルバム';
const DPI = 127;
const PX_PER_MM = DPI / 25.4;
const TRIM = { preset: 'A4' as const, widthMm: 210, heightMm: 297 };
const BLEED = 3;
const WIDTH_PX = Math.round((TRIM.widthMm + 2 * BLEED) * PX_PER_MM);
const HEIGHT_PX = Math.round((TRIM.heightMm + 2 * BLEED) * PX_PER_MM);

let page: Page;
let workDir = '';

/** A desktop API call from inside this file's page. */
const desktop = <M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> =>
  desktopCall(page, method, args);

/**
 * A photo with large flat shapes and a fence of bars about 4 mm apart where it is drawn: a crop
 * moved by a millimetre shows, the thumbnail's softness hardly does.
 */
async function makePhoto(file: string): Promise<void> {
  const width = 2400;
  const height = 1600;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2f6fb0"/><stop offset="1" stop-color="#9fd3e6"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="0" y="1100" width="${width}" height="500" fill="#4f8a3c"/>
    <circle cx="1700" cy="520" r="300" fill="#ffd34d"/>
    <rect x="500" y="600" width="420" height="700" fill="#c0392b"/>
    <rect x="1100" y="800" width="300" height="500" fill="#f4f1ea"/>
    ${Array.from({ length: 12 }, (_, i) => `<rect x="${60 + i * 190}" y="1180" width="70" height="300" fill="#f7e7c4"/>`).join('')}
    <rect x="1160" y="880" width="80" height="110" fill="#34495e"/>
  </svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toFile(file);
}

/**
 * The page's background photo: landscape (so the portrait page crops it), with large shapes
 * and no fine detail (the editor draws it from its 320 px thumbnail over the whole page). A dark
 * block's corner falls in BACKGROUND_REGION: a crop moved by a millimetre or two moves its
 * edges there.
 */
async function makeBackground(file: string): Promise<void> {
  const width = 2000;
  const height = 1400;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#fbe3d6"/><stop offset="1" stop-color="#d6e8fb"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="900" cy="1100" r="200" fill="#f2b8a0"/>
    <rect x="300" y="900" width="500" height="380" fill="#b8d8c0"/>
    <rect x="1150" y="150" width="300" height="420" fill="#c8c0e8"/>
    <rect x="1420" y="1050" width="580" height="350" fill="#2c3e63"/>
  </svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toFile(file);
}

/** Enlarged and moved: where the editor and the PDF crop it is what the test checks. */
const BACKGROUND_PLACEMENT = { fit: 'fill', scale: 1.15, offsetXMm: -18, offsetYMm: 9 } as const;

/**
 * Where only the background shows, out to the bleed (bottom right, trim x 172 mm and
 * y 195 mm on), as bleed-box px: the dark block's corner is in it.
 */
const BACKGROUND_REGION: PixelRegion = {
  name: 'background',
  left: (BLEED + 172) * PX_PER_MM,
  top: (BLEED + 195) * PX_PER_MM,
  width: (TRIM.widthMm + BLEED - 172) * PX_PER_MM,
  height: (TRIM.heightMm + BLEED - 195) * PX_PER_MM,
};

function elements(photoId: string): Element[] {
  const base = { rotation: 0, locked: false };
  return [
    {
      ...base,
      id: 'photo',
      kind: 'image',
      x: 12,
      y: 18,
      width: 120,
      height: 85,
      photoId,
      // Enlarged and moved inside its frame: the crop is what the test checks.
      placement: { fit: 'fill', scale: 1.35, offsetXMm: 14, offsetYMm: -7 },
    },
    {
      ...base,
      id: 'gothic',
      kind: 'text',
      x: 140,
      y: 22,
      width: 60,
      height: 40,
      text: 'みどり中学校\n3年1組 Class 1',
      fontFamily: 'IPAexGothic',
      sizePt: 16,
      color: '#1a2b4c',
      align: 'start',
      lineHeight: 1.5,
      vertical: false,
    },
    {
      ...base,
      id: 'message',
      kind: 'text',
      x: 12,
      y: 108,
      width: 62,
      height: 18,
      // Wraps: where lines break (禁則, Latin words kept whole) and justify's spacing matter.
      text: 'みなさん、卒業おめでとうございます。これからの毎日が「すばらしい」ものでありますように。Thank you!',
      fontFamily: 'IPAexGothic',
      sizePt: 9,
      color: '#333333',
      align: 'justify',
      lineHeight: 1.4,
      vertical: false,
    },
    {
      ...base,
      id: 'mincho',
      kind: 'text',
      x: 150,
      y: 80,
      width: 42,
      height: 110,
      text: '令和8年度\n卒業アルバム\n思い出のメモリー。',
      fontFamily: 'IPAexMincho',
      sizePt: 24,
      color: '#202020',
      align: 'start',
      lineHeight: 1.5,
      vertical: true,
    },
    {
      ...base,
      id: 'rect',
      kind: 'shape',
      shape: 'rect',
      x: 22,
      y: 130,
      width: 70,
      height: 45,
      rotation: 12,
      fill: '#f5c542',
      stroke: { color: '#2255aa', widthMm: 1.5 },
    },
    {
      ...base,
      id: 'ellipse',
      kind: 'shape',
      shape: 'ellipse',
      x: 40,
      y: 200,
      width: 60,
      height: 35,
      rotation: 20,
      fill: '#7fc8a9',
      stroke: { color: '#aa2255', widthMm: 1 },
    },
    {
      ...base,
      id: 'line',
      kind: 'shape',
      shape: 'line',
      x: 20,
      y: 262,
      width: 150,
      height: 4,
      rotation: -6,
      fill: null,
      stroke: { color: '#333333', widthMm: 0.8 },
    },
  ];
}

/** Each element's rotated box, as bleed-box pixels with 1 mm around it. */
function regionsOf(list: readonly Element[]): PixelRegion[] {
  return list.map((e) => {
    const rad = (e.rotation * Math.PI) / 180;
    const w = Math.abs(e.width * Math.cos(rad)) + Math.abs(e.height * Math.sin(rad));
    const h = Math.abs(e.width * Math.sin(rad)) + Math.abs(e.height * Math.cos(rad));
    const cx = e.x + e.width / 2 + BLEED;
    const cy = e.y + e.height / 2 + BLEED;
    return {
      name: e.id,
      left: (cx - w / 2 - 1) * PX_PER_MM,
      top: (cy - h / 2 - 1) * PX_PER_MM,
      width: (w + 2) * PX_PER_MM,
      height: (h + 2) * PX_PER_MM,
    };
  });
}

/**
 * The editor's own drawing of a page's bleed box: the stage is pointed at the page at
 * `pxPerMm` for one render of the content layer (the overlay with trim, bleed and safe lines,
 * badges, guides and the transformer is left out), then put back.
 */
async function renderEditorPage(pageId: string): Promise<Buffer> {
  const url = await page.evaluate(
    ({ pageId, bleed, pxPerMm, width, height }) => {
      const Konva = (window as unknown as { Konva: typeof KonvaNamespace }).Konva;
      const stage = Konva.stages.find((s) => s.findOne('.content'));
      const content = stage?.findOne('.content');
      const group = stage?.findOne(
        (n: KonvaNamespace.Node) => n.hasName('page') && n.id() === pageId,
      );
      if (!stage || !content || !group) throw new Error('no editor stage with that page');
      const saved = { scale: stage.scale(), position: stage.position() };
      stage.scale({ x: pxPerMm, y: pxPerMm });
      stage.position({ x: (bleed - group.x()) * pxPerMm, y: bleed * pxPerMm });
      try {
        return content.toDataURL({ x: 0, y: 0, width, height, pixelRatio: 1 });
      } finally {
        stage.scale(saved.scale);
        stage.position(saved.position);
        stage.batchDraw();
      }
    },
    { pageId, bleed: BLEED, pxPerMm: PX_PER_MM, width: WIDTH_PX, height: HEIGHT_PX },
  );
  return Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64');
}

/** A render as compared: on white, softened by COMPARE_BLUR_PX (see PRINT_MATCH_THRESHOLD). */
async function raw(png: Buffer | string): Promise<RawImage> {
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .blur(COMPARE_BLUR_PX)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

test.beforeAll(async ({ browser }) => {
  const stack = readStack();
  const cloud = cloudApi(stack);
  const token = await cloud.operatorToken();
  const studioId = await cloud.createTenant(token, 'studio', '印刷確認写真館');
  const schoolId = await cloud.createTenant(token, 'school', '印刷確認中学校');
  const temporary = await cloud.createAdmin(token, studioId, ADMIN_LOGIN, '印刷 確認');
  workDir = await mkdtemp(join(tmpdir(), 'weebum-e2e-print-'));

  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  page = await context.newPage();
  await page.goto(stack.studioUrl);
  await desktop('session.signIn', {
    serverUrl: stack.cloudUrl,
    loginId: ADMIN_LOGIN,
    password: temporary,
  });
  await desktop('session.changePassword', {
    currentPassword: temporary,
    newPassword: ADMIN_PASSWORD,
  });
  const album = await desktop('albums.create', {
    title: ALBUM_TITLE,
    schoolTenantId: schoolId,
    schoolName: '印刷確認中学校',
    fiscalYear: 2026,
    trim: TRIM,
    bleedMm: BLEED,
    safeMarginMm: 10,
    binding: 'left',
    pageCount: 4,
  });
  expect(album.title).toBe(ALBUM_TITLE);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'アルバム一覧' })).toBeVisible();
});

test.afterAll(async () => {
  await page.context().close();
  await rm(workDir, { recursive: true, force: true });
});

test('the pdftoppm render of an exported page matches the editor drawing the same page', async () => {
  const albumId = (await desktop('albums.list', {})).find((a) => a.title === ALBUM_TITLE)?.id;
  if (!albumId) throw new Error('album not created');
  const photoFile = join(workDir, 'class-photo.jpg');
  const backgroundFile = join(workDir, 'background.jpg');
  await makePhoto(photoFile);
  await makeBackground(backgroundFile);
  await desktop('photos.import', { albumId, paths: [photoFile, backgroundFile] });
  await expect
    .poll(
      async () =>
        (await desktop('photos.list', { albumId })).filter((p) => p.thumbnailUrl !== null).length,
      { timeout: 20_000 },
    )
    .toBe(2);
  const photos = await desktop('photos.list', { albumId });
  const photo = photos.find((p) => p.width === 2400)!;
  const backgroundPhoto = photos.find((p) => p.width === 2000)!;
  const first = [...(await desktop('pages.list', { albumId }))].sort(
    (a, b) => a.index - b.index,
  )[0]!;
  const layout = elements(photo.id);
  const designed: AlbumPage = {
    ...first,
    background: { kind: 'photo', photoId: backgroundPhoto.id, placement: BACKGROUND_PLACEMENT },
    elements: layout,
  };
  await desktop('pages.save', { albumId, page: designed });

  // The PDF, through the desktop API as the export dialog starts it.
  const pdfPath = join(workDir, 'page1.pdf');
  await desktop('export.pdf', {
    albumId,
    pageRange: { from: 1, to: 1 },
    spreads: false,
    cropMarks: false,
    destinationPath: pdfPath,
  });
  await expect
    .poll(
      () =>
        access(pdfPath).then(
          () => true,
          () => false,
        ),
      { timeout: 30_000 },
    )
    .toBe(true);
  const pdfPrefix = join(workDir, 'page1');
  // -r gives the resolution; -scale-to pins the size to whole pixels of the bleed box.
  await execFileAsync('pdftoppm', [
    '-r',
    String(DPI),
    '-scale-to-x',
    String(WIDTH_PX),
    '-scale-to-y',
    String(HEIGHT_PX),
    '-png',
    '-singlefile',
    pdfPath,
    pdfPrefix,
  ]);

  // The editor, on page 1 (alone in the first spread), once its fonts and photo are there.
  await page.getByRole('button', { name: `開く: ${ALBUM_TITLE}` }).click();
  await expect(page.locator('.editor')).toHaveAttribute('data-fonts-ready', 'true', {
    timeout: 30_000,
  });
  await expect
    .poll(() =>
      page.evaluate(() => {
        const Konva = (window as unknown as { Konva: typeof KonvaNamespace }).Konva;
        const stage = Konva.stages.find((s) => s.findOne('.content'));
        const images = stage?.find('Image') ?? [];
        return images.filter((n) => {
          const img = (n as KonvaNamespace.Image).image() as HTMLImageElement | undefined;
          return img?.complete && img.naturalWidth > 0;
        }).length;
      }),
    )
    .toBe(2);
  const editorPng = await renderEditorPage(first.id);

  const editor = await raw(editorPng);
  const pdf = await raw(`${pdfPrefix}.png`);
  await mkdir('e2e/screenshots', { recursive: true });
  await sharp(editorPng)
    .flatten({ background: '#ffffff' })
    .toFile('e2e/screenshots/print-match-editor.png');
  await sharp(`${pdfPrefix}.png`).toFile('e2e/screenshots/print-match-pdf.png');
  const diff = diffImage(editor, pdf, PRINT_MATCH_THRESHOLD.strayAbove);
  await sharp(diff.data, { raw: { width: diff.width, height: diff.height, channels: 3 } })
    .png()
    .toFile('e2e/screenshots/print-match-diff.png');

  const result = compareRenders(
    editor,
    pdf,
    [...regionsOf(layout), BACKGROUND_REGION],
    PRINT_MATCH_THRESHOLD,
  );
  const table = result.all
    .map(
      (d) =>
        `${d.name.padEnd(8)} mean ${d.meanAbsDiff.toFixed(2).padStart(6)}  stray ${(d.strayFraction * 100).toFixed(2).padStart(6)} %  of ink ${(d.inkStrayFraction * 100).toFixed(2).padStart(6)} %`,
    )
    .join('\n');
  console.log(`editor vs PDF at ${DPI} dpi (${WIDTH_PX}x${HEIGHT_PX}):\n${table}`);
  expect(result.failing, table).toEqual([]);
});
