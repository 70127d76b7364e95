import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type KonvaNamespace from 'konva';
import type { MethodArgs, MethodName, MethodResult } from '../src-shared/desktop/contract.js';
import { desktopCall } from './desktopCall.js';
import { toSignInScreen } from './signInScreen.js';
import type { Element, Page as AlbumPage } from '../src-shared/model/page.js';
import { cloudApi } from './cloudApi.js';
import { readStack, type E2eStack } from './stack.js';
import { changeTemporaryPassword, openStudioPage, submitSignIn } from './studioPage.js';

/**
 * A designer's day in the page editor, through the browser host against a real Weebum Cloud:
 * vertical Japanese text, a rectangle snapped to the safe line, move and resize with the
 * transformer, undo and redo, photos dropped onto the page and onto a frame with their
 * resolution badge, a frame's photo made the page background, and a reload that finds
 * everything. What the editor saved is read back
 * through the desktop API, as the sync engine would read it.
 *
 * Named to run after studio.e2e.ts (which signs the operator in for the first time); run alone,
 * it does that step itself through the cloud API.
 */
test.describe.configure({ mode: 'serial' });

const ADMIN_LOGIN = 'midori-admin';
const ADMIN_PASSWORD = 'midori-admin-pass-2026';
const ALBUM_TITLE = '令和8年度 卒業アルバム（編集）';

let stack: E2eStack;
let page: Page;
let schoolId = '';
let adminTemporary = '';
let albumId = '';
let photoDir = '';
const pageErrors: string[] = [];

/** A desktop API call from inside this file's page. */
const desktop = <M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> =>
  desktopCall(page, method, args);

const savedPages = async (): Promise<AlbumPage[]> =>
  [...(await desktop('pages.list', { albumId }))].sort((a, b) => a.index - b.index);

/**
 * How long a poll waits for autosave to reach the store: a deadline for a loaded machine, not a
 * promise about speed (autosave's delay is tested with recorded timers in autosave.test.ts).
 */
const SAVED = { timeout: 20_000 };

/** The saved element on page 1 matching `pick`, polled (autosave is debounced). */
async function savedElement(pick: (e: Element) => boolean): Promise<Element | undefined> {
  const first = (await savedPages())[0];
  return first?.elements.find(pick);
}

/** Screen position of a point in mm on the first page (left binding: page 1 is on the right). */
async function screenPoint(xMm: number, yMm: number) {
  const canvas = page.getByTestId('editor-canvas');
  const box = await canvas.boundingBox();
  const zoom = Number(await canvas.getAttribute('data-zoom'));
  const vx = Number(await canvas.getAttribute('data-view-x'));
  const vy = Number(await canvas.getAttribute('data-view-y'));
  const scale = (zoom * 96) / 25.4;
  const pageOffsetMm = 210;
  if (!box) throw new Error('no canvas');
  return { x: box.x + vx + (pageOffsetMm + xMm) * scale, y: box.y + vy + yMm * scale, scale };
}

async function dragBy(from: { x: number; y: number }, dx: number, dy: number) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(from.x + (dx * i) / 8, from.y + (dy * i) / 8);
}

/** The page the page strip highlights as current. */
const currentStripPage = () =>
  page.getByRole('navigation', { name: '見開き' }).locator('[aria-current="page"]');

async function shot(name: string) {
  await page.screenshot({ path: `e2e/screenshots/editor-${name}.png` });
}

async function makePhoto(name: string, width: number, height: number, hue: number) {
  const file = join(photoDir, name);
  await sharp({
    create: { width, height, channels: 3, background: { r: hue, g: 140, b: 255 - hue } },
  })
    .composite([
      {
        input: Buffer.from(
          `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#ffd34d"/></svg>`,
        ),
      },
    ])
    .jpeg({ quality: 85 })
    .toFile(file);
  return file;
}

/** Drops a photo with the library's drag contract at a point of the canvas. */
async function dropPhoto(
  photo: { id: string; width: number; height: number },
  at: { x: number; y: number },
) {
  await page.getByTestId('editor-canvas').evaluate(
    (el, { photo, at }) => {
      const data = new DataTransfer();
      data.setData(
        'application/x-weebum-photo',
        JSON.stringify({ photoId: photo.id, widthPx: photo.width, heightPx: photo.height }),
      );
      const init = {
        bubbles: true,
        cancelable: true,
        clientX: at.x,
        clientY: at.y,
        dataTransfer: data,
      };
      el.dispatchEvent(new DragEvent('dragover', init));
      el.dispatchEvent(new DragEvent('drop', init));
    },
    { photo, at },
  );
}

test.beforeAll(async ({ browser }) => {
  stack = readStack();
  const cloud = cloudApi(stack);
  const token = await cloud.operatorToken();
  const studioId = await cloud.createTenant(token, 'studio', 'みどり写真館');
  schoolId = await cloud.createTenant(token, 'school', '緑ヶ丘中学校');
  adminTemporary = await cloud.createAdmin(token, studioId, ADMIN_LOGIN, '緑川 葵');
  photoDir = await mkdtemp(join(tmpdir(), 'weebum-e2e-photos-'));

  page = await openStudioPage(browser, { errors: pageErrors });
  await page.goto(stack.studioUrl);
});

test.afterAll(async () => {
  await page.context().close();
  await rm(photoDir, { recursive: true, force: true });
});

test('a studio admin signs in and creates an album', async () => {
  await toSignInScreen(page);
  await submitSignIn(page, {
    server: stack.cloudUrl,
    loginId: ADMIN_LOGIN,
    password: adminTemporary,
  });
  await changeTemporaryPassword(page, adminTemporary, ADMIN_PASSWORD);
  await expect(page.getByRole('heading', { name: 'アルバム一覧' })).toBeVisible();

  await page.getByRole('button', { name: '新しいアルバム' }).click();
  await page.getByLabel('タイトル').fill(ALBUM_TITLE);
  await page.getByLabel('学校ID').fill(schoolId);
  await page.getByLabel('学校名').fill('緑ヶ丘中学校');
  await page.getByLabel(/^A4（/).check();
  await page.getByLabel(/左綴じ/).check();
  await page.getByLabel('最初のページ数').fill('4');
  await page.getByRole('button', { name: '作成する' }).click();
  await expect(page.getByText(`アルバム「${ALBUM_TITLE}」を作成しました。`)).toBeVisible();
  albumId = (await desktop('albums.list', {})).find((a) => a.title === ALBUM_TITLE)?.id ?? '';
  expect(albumId).not.toBe('');

  await page.getByRole('button', { name: `開く: ${ALBUM_TITLE}` }).click();
  await expect(page.getByRole('toolbar', { name: '編集ツール' })).toBeVisible();
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 1 / 3');
  await expect(page.locator('.editor')).toHaveAttribute('data-fonts-ready', 'true');
  await shot('empty-ja');
});

test('Japanese text in vertical writing is added and saved', async () => {
  await page.getByRole('button', { name: 'テキスト', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  await expect(panel.getByRole('heading', { name: 'テキスト' })).toBeVisible();
  await panel.getByLabel('内容').fill('卒業おめでとう\n緑ヶ丘中学校');
  // As a designer does: leave the text (it commits), then type the size.
  await panel.getByLabel('サイズ (pt)').click();
  await expect(panel.getByLabel('内容')).toHaveValue('卒業おめでとう\n緑ヶ丘中学校');
  await panel.getByLabel('サイズ (pt)').fill('20');
  await panel.getByLabel('サイズ (pt)').press('Enter');
  await panel.getByLabel('フォント').selectOption('IPAexMincho');
  await panel.getByLabel('縦書き').check();
  await panel.getByLabel('高さ (mm)').fill('70');
  await panel.getByLabel('高さ (mm)').press('Enter');
  await panel.getByLabel('幅 (mm)').fill('30');
  await panel.getByLabel('幅 (mm)').press('Enter');
  await expect
    .poll(() => savedElement((e) => e.kind === 'text'), SAVED)
    .toMatchObject({
      text: '卒業おめでとう\n緑ヶ丘中学校',
      vertical: true,
      sizePt: 20,
      fontFamily: 'IPAexMincho',
      width: 30,
      height: 70,
    });
  await shot('vertical-text-ja');
});

test('a rectangle snaps to the safe line with a guide, then is resized and rotated', async () => {
  await page.getByRole('button', { name: '四角形' }).click();
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  await expect(panel.getByRole('heading', { name: '四角形' })).toBeVisible();
  // The new rectangle is centred in the safe area: 60 x 40 mm at (75, 128.5).
  await expect(panel.getByLabel('X (mm)')).toHaveValue('75');
  const centre = await screenPoint(105, 148.5);
  // Left edge to 6.2 mm: within snapping reach of the 5 mm safe line.
  await dragBy(centre, -(75 - 6.2) * centre.scale, 20 * centre.scale);
  await shot('snap-guide-ja');
  await page.mouse.up();
  await expect(panel.getByLabel('X (mm)')).toHaveValue('5');
  await expect
    .poll(() => savedElement((e) => e.kind === 'shape'), SAVED)
    .toMatchObject({ x: 5, shape: 'rect' });
  const moved = await savedElement((e) => e.kind === 'shape');
  expect(moved?.y).toBeCloseTo(148.5, 0);

  // Resize with the transformer's bottom-right handle.
  const corner = await screenPoint(5 + 60, (moved?.y ?? 0) + 40);
  await dragBy(corner, 30 * corner.scale, 10 * corner.scale);
  await page.mouse.up();
  await expect
    .poll(async () => (await savedElement((e) => e.kind === 'shape'))?.width ?? 0)
    .toBeGreaterThan(80);
  const resized = await savedElement((e) => e.kind === 'shape');
  expect(resized?.x).toBeCloseTo(5, 1);

  await panel.getByLabel('回転 (度)').fill('15');
  await panel.getByLabel('回転 (度)').press('Enter');
  await expect.poll(async () => (await savedElement((e) => e.kind === 'shape'))?.rotation).toBe(15);
});

test('undo and redo walk back and forth through the named steps', async () => {
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  await page.getByTestId('editor-canvas').click({ position: { x: 5, y: 5 } });
  await expect(panel.getByText('要素を選択すると')).toBeVisible();
  await expect(page.getByRole('button', { name: '元に戻す' })).toHaveAttribute(
    'title',
    '元に戻す: 変形',
  );
  await page.keyboard.press('Control+z'); // rotation
  await page.keyboard.press('Control+z'); // resize
  await expect.poll(async () => (await savedElement((e) => e.kind === 'shape'))?.width).toBe(60);
  const shape = await savedElement((e) => e.kind === 'shape');
  expect(shape?.rotation).toBe(0);
  expect(shape?.x).toBe(5);
  await page.keyboard.press('Control+Shift+z');
  await expect
    .poll(async () => (await savedElement((e) => e.kind === 'shape'))?.width ?? 0)
    .toBeGreaterThan(80);
  await page.keyboard.press('Control+y');
  await expect.poll(async () => (await savedElement((e) => e.kind === 'shape'))?.rotation).toBe(15);
  // The toolbar's buttons do the same.
  await page.getByRole('button', { name: '元に戻す' }).click();
  await expect.poll(async () => (await savedElement((e) => e.kind === 'shape'))?.rotation).toBe(0);
  await page.getByRole('button', { name: 'やり直す' }).click();
  await expect.poll(async () => (await savedElement((e) => e.kind === 'shape'))?.rotation).toBe(15);
});

test('photos dropped on the page make frames; dropped on a frame they fill it; PPI badges', async () => {
  const files = [
    await makePhoto('sports-day.jpg', 800, 600, 40),
    await makePhoto('school-trip.jpg', 400, 300, 200),
  ];
  await desktop('photos.import', { albumId, paths: files });
  await expect
    .poll(
      async () => (await desktop('photos.list', { albumId })).filter((p) => p.thumbnailUrl).length,
      {
        timeout: 20_000,
      },
    )
    .toBe(2);
  const photos = await desktop('photos.list', { albumId });
  const sports = photos.find((p) => p.fileName === 'sports-day.jpg')!;
  const trip = photos.find((p) => p.fileName === 'school-trip.jpg')!;

  // Onto the page, away from the other elements: a new 80 mm frame at 254 ppi (warning).
  const spot = await screenPoint(120, 60);
  await dropPhoto({ id: sports.id, width: sports.width, height: sports.height }, spot);
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  await expect(panel.getByRole('heading', { name: '写真フレーム' })).toBeVisible();
  await expect(panel.getByTestId('frame-ppi')).toHaveAttribute('data-level', 'warning');
  await expect(panel.getByTestId('frame-ppi')).toContainText('254 ppi');
  await expect
    .poll(() => savedElement((e) => e.kind === 'image'), SAVED)
    .toMatchObject({ photoId: sports.id, width: 80, height: 60 });
  await shot('photo-warning-ja');

  // Onto that frame: it takes the other photo (127 ppi: error).
  await dropPhoto({ id: trip.id, width: trip.width, height: trip.height }, spot);
  await expect(panel.getByTestId('frame-ppi')).toHaveAttribute('data-level', 'error');
  await expect
    .poll(async () => (await savedPages())[0]?.elements.filter((e) => e.kind === 'image'))
    .toHaveLength(1);
  await expect
    .poll(() => savedElement((e) => e.kind === 'image'))
    .toMatchObject({ photoId: trip.id });

  // Double-click to adjust the photo inside the frame: dragging moves the photo, not the frame.
  const placed = await savedElement((e) => e.kind === 'image');
  await page.mouse.dblclick(spot.x, spot.y);
  await expect(panel.getByRole('button', { name: '調整を終える' })).toBeVisible();
  await dragBy(spot, 15, 0);
  await page.mouse.up();
  await expect
    .poll(async () => {
      const frame = await savedElement((e) => e.kind === 'image');
      return frame?.kind === 'image' ? frame.placement.offsetXMm : 0;
    })
    .toBeGreaterThan(1);
  const frame = await savedElement((e) => e.kind === 'image');
  expect(frame?.x).toBe(placed?.x);
  expect(frame?.y).toBe(placed?.y);
  await page.keyboard.press('Escape');
  await shot('photo-error-ja');
});

test('a reload finds everything where it was, in Japanese and English', async () => {
  const before = (await savedPages())[0]?.elements;
  await page.reload();
  await page.getByRole('button', { name: `開く: ${ALBUM_TITLE}` }).click();
  await expect(page.getByRole('toolbar', { name: '編集ツール' })).toBeVisible();
  // The canvas is drawn again once the fonts are in (until then it may be remade).
  await expect(page.locator('.editor')).toHaveAttribute('data-fonts-ready', 'true');
  expect((await savedPages())[0]?.elements).toEqual(before);
  expect(before?.map((e) => e.kind).sort()).toEqual(['image', 'shape', 'text']);
  // Select the rectangle on the canvas: the panel shows the snapped position.
  const rect = before?.find((e) => e.kind === 'shape');
  const inside = await screenPoint((rect?.x ?? 0) + 10, (rect?.y ?? 0) + 20);
  await page.mouse.click(inside.x, inside.y);
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  await expect(panel.getByLabel('X (mm)')).toHaveValue('5');
  await shot('after-reload-ja');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('toolbar', { name: 'Editing tools' })).toBeVisible();
  await expect(
    page.getByRole('complementary', { name: 'Properties' }).getByLabel('X (mm)'),
  ).toHaveValue('5');
  await shot('after-reload-en');
  await page.getByRole('button', { name: '日本語' }).click();
});

test('a preflight issue brings its page and element into the editor', async () => {
  const frame = await savedElement((e) => e.kind === 'image');
  const properties = page.getByRole('complementary', { name: 'プロパティ' });
  // Elsewhere first: another spread, nothing selected.
  await page.getByTitle('次の見開き').click();
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 2 / 3');
  // The page strip highlights the page the toolbar brought, not the one before.
  await expect(currentStripPage()).toHaveAttribute('data-page', '2');
  await expect(properties).toContainText('要素を選択すると');
  const preflight = page.getByRole('complementary', { name: 'プリフライト（入稿前チェック）' });
  await preflight.getByTestId('preflight-run').click();
  const issue = preflight
    .locator(`button[data-element-id="${frame?.id ?? ''}"]`)
    .filter({ hasText: '写真の解像度が足りません' });
  await issue.click();
  await expect(properties.getByRole('heading', { name: '写真フレーム' })).toBeVisible();
  await expect(properties.getByTestId('frame-ppi')).toHaveAttribute('data-level', 'error');
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 1 / 3');
  await expect(currentStripPage()).toHaveAttribute('data-page', '1');
  await shot('preflight-walk-ja');
});

test('two selected elements snap with the box around them; a resize snaps its moving edge', async () => {
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  const guides = page.locator('.editor-canvas [data-guides]');
  const place = async (x: number, y: number) => {
    await page.getByRole('button', { name: '四角形' }).click();
    await panel.getByLabel('X (mm)').fill(String(x));
    await panel.getByLabel('X (mm)').press('Enter');
    await panel.getByLabel('Y (mm)').fill(String(y));
    await panel.getByLabel('Y (mm)').press('Enter');
  };
  // Spread 2; page 3, on the right, is empty and where new elements go once clicked.
  await page.getByTitle('次の見開き').click();
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 2 / 3');
  const empty = await screenPoint(150, 250);
  await page.mouse.click(empty.x, empty.y);
  await place(20, 30); // 60 x 40 mm
  await place(100, 60);
  /** Page 3's elements as [x, y] to the µm (a drag's arithmetic leaves float noise). */
  const pageThree = async () => (await savedPages())[2]?.elements ?? [];
  const positions = async () => (await pageThree()).map((e) => [+e.x.toFixed(3), +e.y.toFixed(3)]);
  await expect.poll(positions).toEqual([
    [20, 30],
    [100, 60],
  ]);

  // Both selected, dragged by the first: the box around them (x 20 to 160) goes to 6.2 mm,
  // within reach of the 5 mm safe line, and snaps there; the guide shows it.
  const first = await screenPoint(50, 50);
  const second = await screenPoint(130, 80);
  await page.mouse.click(first.x, first.y);
  await page.keyboard.down('Shift');
  await page.mouse.click(second.x, second.y);
  await page.keyboard.up('Shift');
  await dragBy(first, -(20 - 6.2) * first.scale, 0);
  await expect(guides).toHaveAttribute('data-guides', /x:5\b/);
  await shot('snap-selection-ja');
  await page.mouse.up();
  await expect(guides).toHaveAttribute('data-guides', '');
  await expect.poll(positions).toEqual([
    [5, 30],
    [85, 60],
  ]);
  await expect(page.getByRole('button', { name: '元に戻す' })).toHaveAttribute(
    'title',
    '元に戻す: 移動',
  );

  // The second alone, its right handle pulled to 203.8 mm: the right edge snaps to the safe
  // line at 205 mm while the left edge stays at 85 mm.
  // A click on the empty page first: a click on a selected element keeps the selection.
  await page.mouse.click(empty.x, empty.y);
  const alone = await screenPoint(115, 80);
  await page.mouse.click(alone.x, alone.y);
  await expect(panel.getByLabel('X (mm)')).toHaveValue('85');
  const handle = await screenPoint(145, 80);
  await dragBy(handle, (203.8 - 145) * handle.scale, 0);
  await expect(guides).toHaveAttribute('data-guides', /x:205\b/);
  await shot('snap-resize-ja');
  await page.mouse.up();
  await expect
    .poll(async () => {
      const resized = (await pageThree())[1];
      return resized && [+resized.x.toFixed(3), +(resized.x + resized.width).toFixed(3)];
    })
    .toEqual([85, 205]);
});

test("a frame's photo becomes the page background, drawn behind everything; cleared, undone, recoloured", async () => {
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  const sports = (await desktop('photos.list', { albumId })).find(
    (p) => p.fileName === 'sports-day.jpg',
  )!;
  const pageThree = async () => (await savedPages())[2]!;
  // Spread 2 (from the test before): page 3, on the right, has two rectangles.
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 2 / 3');
  const spot = await screenPoint(100, 200);
  await dropPhoto({ id: sports.id, width: sports.width, height: sports.height }, spot);
  await expect(panel.getByRole('heading', { name: '写真フレーム' })).toBeVisible();
  await shot('set-as-background-ja');
  await panel.getByRole('button', { name: '背景に設定' }).click();

  // One step: the frame is gone, its photo fills the page out to the bleed.
  const background = panel.getByTestId('page-background');
  await expect(background).toHaveAttribute('data-kind', 'photo');
  await expect(background).toContainText('3 ページ目の背景');
  await expect
    .poll(async () => {
      const p = await pageThree();
      return { background: p.background, kinds: p.elements.map((e) => e.kind) };
    })
    .toEqual({
      background: {
        kind: 'photo',
        photoId: sports.id,
        placement: { fit: 'fill', scale: 1, offsetXMm: 0, offsetYMm: 0 },
      },
      kinds: ['shape', 'shape'],
    });
  await expect(page.getByRole('button', { name: '元に戻す' })).toHaveAttribute(
    'title',
    '元に戻す: 写真を背景に設定',
  );
  // Drawn on the canvas behind the elements, over the page's bleed box, with its thumbnail.
  const pageId = (await pageThree()).id;
  const drawn = () =>
    page.evaluate((pageId) => {
      const Konva = (window as unknown as { Konva: typeof KonvaNamespace }).Konva;
      const stage = Konva.stages.find((s) => s.findOne('.content'));
      const group = stage?.findOne<KonvaNamespace.Group>(
        (n: KonvaNamespace.Node) => n.hasName('page') && n.id() === pageId,
      );
      const node = group?.findOne('.page-background');
      if (!group || !node) return null;
      // A grey rectangle stands in until the thumbnail is loaded.
      const image =
        node instanceof Konva.Image ? (node.image() as HTMLImageElement | undefined) : undefined;
      return {
        loaded: (image?.complete ?? false) && (image?.naturalWidth ?? 0) > 0,
        // Just above the page's own rectangle, under every element.
        index: node.zIndex(),
        listening: node.listening(),
        height: Math.round(node.height()),
      };
    }, pageId);
  // 800 x 600 px filling the 216 x 303 mm bleed box: by its height.
  await expect.poll(drawn).toEqual({ loaded: true, index: 1, listening: false, height: 303 });

  // A click on the background selects nothing: the panel still shows the page's background.
  const onBackground = await screenPoint(30, 250);
  await page.mouse.click(onBackground.x, onBackground.y);
  await expect(background).toHaveAttribute('data-kind', 'photo');
  await shot('page-background-ja');
  await page.getByRole('button', { name: 'English' }).click();
  const panelEn = page.getByRole('complementary', { name: 'Properties' });
  await expect(panelEn.getByTestId('page-background')).toContainText('Background of page 3');
  await shot('page-background-en');

  // Cleared to white, then undone (the photo is back), then a colour.
  await panelEn.getByRole('button', { name: 'Clear photo background' }).click();
  await expect
    .poll(async () => (await pageThree()).background)
    .toEqual({ kind: 'color', color: '#ffffff' });
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveAttribute(
    'title',
    'Undo: Change background',
  );
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await pageThree()).background.kind).toBe('photo');
  // Enlarged, then shown whole (fit: the bleed box's width, 216 mm, for a 4:3 photo).
  await panelEn.getByLabel('Photo scale (%)').fill('150');
  await panelEn.getByLabel('Photo scale (%)').press('Enter');
  await expect
    .poll(async () => (await pageThree()).background)
    .toMatchObject({ placement: { fit: 'fill', scale: 1.5 } });
  await expect.poll(drawn).toMatchObject({ height: Math.round(303 * 1.5) });
  await panelEn.getByRole('button', { name: 'Show the whole photo' }).click();
  await expect.poll(drawn).toMatchObject({ height: 162 });
  await expect
    .poll(async () => (await pageThree()).background)
    .toMatchObject({ placement: { fit: 'fit', scale: 1, offsetXMm: 0, offsetYMm: 0 } });
  // Undo walks back through both, then puts the frame back where it was.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect
    .poll(async () => (await pageThree()).elements.map((e) => e.kind))
    .toEqual(['shape', 'shape', 'image']);
  await page.mouse.click(onBackground.x, onBackground.y);
  // One picking gesture through two colours is one undo step (back to white), not two.
  const picker = panelEn.getByLabel('Background colour');
  await picker.fill('#d6f0ff');
  await picker.fill('#fff3d6');
  await expect
    .poll(async () => (await pageThree()).background)
    .toEqual({ kind: 'color', color: '#fff3d6' });
  await expect.poll(drawn).toBeNull();
  await picker.blur();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect
    .poll(async () => (await pageThree()).background)
    .toEqual({ kind: 'color', color: '#ffffff' });
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect
    .poll(async () => (await pageThree()).background)
    .toEqual({ kind: 'color', color: '#fff3d6' });
  await page.getByRole('button', { name: '日本語' }).click();
});

test('the page logged no errors', () => {
  expect(pageErrors).toEqual([]);
});
