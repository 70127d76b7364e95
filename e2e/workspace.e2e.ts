import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { desktopCall } from './desktopCall.js';
import { toSignInScreen } from './signInScreen.js';
import { cloudApi } from './cloudApi.js';
import { startStudio } from './globalSetup.js';
import { readStack, type E2eStack } from './stack.js';
import { changeTemporaryPassword, openStudioPage, submitSignIn } from './studioPage.js';

/**
 * The album workspace around the page editor, through the browser host against a real Weebum
 * Cloud: a studio admin's first sign-in, an album, photos imported by path into the library with
 * its filters, upload progress with pause and resume, pages added, reordered by dragging and
 * deleted in the strip, and school staff on another Weebum Studio seeing the pages after sync.
 * Every screen is checked with axe and photographed in Japanese and English (e2e/screenshots).
 */
// axe takes seconds per screen and language on a busy machine.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let stack: E2eStack;
let page: Page;
let photosDir: string;
let secondStudio: { child: ChildProcess; url: string; dir: string } | null = null;
/** The studio's admin does the designer's work here (album creation is an admin's action). */
const admin = { loginId: 'h6b-admin', password: 'h6b-admin-pass-2026', temporary: '' };
const staff = { loginId: 'h6b-staff', password: 'h6b-staff-pass-2026', userId: '' };
let schoolAdminToken = '';
const albumTitle = '令和8年度 卒業アルバム（ワークスペース）';
let schoolId = '';
const pageErrors: string[] = [];

/** Axe on the screen as it is: no serious or critical violation. */
async function checkAccessibility(name: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(bad).toEqual([]);
}

/** The whole screen, the window made tall enough for the scrolled content. */
async function shoot(path: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const hidden = await page.evaluate(() => {
    const content = document.querySelector('.content, .centered-page');
    return content ? content.scrollHeight - content.clientHeight : 0;
  });
  if (hidden > 0) await page.setViewportSize({ width: size.width, height: size.height + hidden });
  await page.screenshot({ path });
  if (hidden > 0) await page.setViewportSize(size);
}

/**
 * A screen in both languages: axe and a screenshot each, back to Japanese after.
 * `englishCheck` is a text the English screen shows (the switch took effect).
 */
async function capture(name: string, englishCheck: string | RegExp) {
  await checkAccessibility(`${name} (ja)`);
  await shoot(`e2e/screenshots/ja/${name}.png`);
  // Dispatched, not clicked: an open dialog covers the header's language switch.
  await page.getByRole('button', { name: 'English' }).dispatchEvent('click');
  await expect(page.getByText(englishCheck).first()).toBeVisible();
  await checkAccessibility(`${name} (en)`);
  await shoot(`e2e/screenshots/en/${name}.png`);
  await page.getByRole('button', { name: '日本語' }).dispatchEvent('click');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
}

const signIn = (on: Page, loginId: string, password: string) =>
  submitSignIn(on, { server: stack.cloudUrl, loginId, password });

/** JPEGs with a camera date, like a school event's photos. */
async function writePhotos(folder: string, count: number, date: string, seed: number) {
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    await sharp({
      create: {
        width: 900,
        height: 600,
        channels: 3,
        background: { r: (seed * 70 + i * 30) % 255, g: 140, b: (i * 50) % 255 },
      },
    })
      .withExif({ IFD2: { DateTimeOriginal: date } })
      .jpeg({ quality: 80 })
      .toFile(join(folder, `photo-${seed}-${i + 1}.jpg`));
  }
}

const strip = () => page.getByRole('navigation', { name: '見開き' });
const stripPage = (n: number) => strip().locator(`button[data-page="${n}"]`);
const pageOrder = () =>
  strip()
    .locator('button[data-page-id]')
    .evaluateAll((els) =>
      els
        .map(
          (el) => [Number(el.getAttribute('data-page')), el.getAttribute('data-page-id')] as const,
        )
        .sort((a, b) => a[0] - b[0])
        .map(([, id]) => id),
    );

async function openAlbumId(): Promise<string> {
  const albums = await desktopCall(page, 'albums.list', {});
  return albums.find((a) => a.title === albumTitle)!.id;
}

test.beforeAll(async ({ browser }) => {
  stack = readStack();
  photosDir = mkdtempSync(join(tmpdir(), 'weebum-e2e-photos-'));
  page = await openStudioPage(browser, {
    errors: pageErrors,
    viewport: { width: 1400, height: 900 },
  });
});

test.afterAll(async () => {
  await page.context().close();
  if (secondStudio) {
    const { child, dir } = secondStudio;
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  rmSync(photosDir, { recursive: true, force: true });
});

test('the operator sets up a studio, a school and their people (cloud API)', async () => {
  const api = cloudApi(stack);
  const operator = await api.operatorToken();
  const activate = async (loginId: string, temporary: string, password: string) => {
    const first = await api.signIn(loginId, temporary);
    return api.changePassword(first, temporary, password);
  };
  const studioId = await api.createTenant(operator, 'studio', 'ひまわり写真館');
  schoolId = await api.createTenant(operator, 'school', '若葉台小学校');
  admin.temporary = await api.createAdmin(operator, studioId, admin.loginId, '高橋 陽子');
  schoolAdminToken = await activate(
    'h6b-school-admin',
    await api.createAdmin(operator, schoolId, 'h6b-school-admin', '若葉台 校長'),
    'h6b-school-admin-pass-2026',
  );
  const created = await api.createUser(
    schoolAdminToken,
    staff.loginId,
    '中村 先生',
    'school_staff',
  );
  staff.userId = created.userId;
  await activate(staff.loginId, created.temporaryPassword, staff.password);
});

test('sign-in screen', async () => {
  await page.goto(stack.studioUrl);
  await toSignInScreen(page);
  await capture('sign-in', 'Sign in');
});

test('the studio admin signs in with the temporary password and must change it', async () => {
  await signIn(page, admin.loginId, admin.temporary);
  await expect(page.getByRole('heading', { name: 'パスワードの変更' })).toBeVisible();
  await capture('password-change', 'Change your password');
  await changeTemporaryPassword(page, admin.temporary, admin.password);
  await expect(page.getByRole('heading', { name: 'アルバム一覧' })).toBeVisible();
});

test('an album is created', async () => {
  await page.getByRole('button', { name: '新しいアルバム' }).click();
  await expect(page.getByLabel('タイトル')).toBeVisible();
  await capture('album-create', 'New album');
  await page.getByLabel('タイトル').fill(albumTitle);
  await page.getByLabel('学校ID').fill(schoolId);
  await page.getByLabel('学校名').fill('若葉台小学校');
  await page.getByLabel(/^A4（/).check();
  await page.getByLabel(/左綴じ/).check();
  await page.getByLabel('最初のページ数').fill('4');
  await page.getByRole('button', { name: '作成する' }).click();
  await expect(page.getByText(`アルバム「${albumTitle}」を作成しました。`)).toBeVisible();
  await expect(page.getByText('同期済み')).toHaveCount(1, { timeout: 20_000 });
  await capture('albums', 'Albums');
});

test('photos imported by path appear in the library; upload progress shows, pauses and resumes', async () => {
  await page.getByRole('button', { name: `開く: ${albumTitle}`, exact: true }).click();
  await expect(page.getByRole('heading', { name: albumTitle })).toBeVisible();
  await expect(page.getByTestId('library-count')).toHaveText('0 枚中 0 枚を表示');

  await writePhotos(join(photosDir, 'sports-day'), 3, '2026:03:14 09:30:00', 1);
  await writePhotos(join(photosDir, 'excursion'), 2, '2026:04:01 10:00:00', 2);
  const paths = page.getByLabel('取り込むファイルまたはフォルダー（1 行に 1 つ）');
  await page.getByRole('button', { name: '取り込む' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    '取り込むファイルまたはフォルダーのパスを入力してください。',
  );
  await paths.fill(join(photosDir, 'sports-day'));
  await page.getByRole('button', { name: '取り込む' }).click();
  await expect(page.getByTestId('import-progress')).toContainText('取り込み完了: 3 枚');
  await expect(page.getByTestId('library-count')).toHaveText('3 枚中 3 枚を表示');
  await expect(page.locator('.photo-tile img')).toHaveCount(3);

  // The queue uploads them to the cloud: a progress bar for the batch in the status bar.
  const uploads = page.getByTestId('upload-status');
  await expect(uploads.getByTestId('upload-batch')).toContainText(/3 \/ 3 枚/, { timeout: 30_000 });
  await expect(uploads.locator('progress')).toHaveAttribute('value', '3');

  // Paused, the next import's batch waits; resumed, it is sent.
  await uploads.getByRole('button', { name: '一時停止' }).click();
  await expect(uploads.getByRole('button', { name: '再開' })).toBeVisible();
  await paths.fill(join(photosDir, 'excursion'));
  await page.getByRole('button', { name: '取り込む' }).click();
  await expect(page.getByTestId('library-count')).toHaveText('5 枚中 5 枚を表示');
  const second = uploads.getByTestId('upload-batch').filter({ hasText: '/ 2 枚' });
  await expect(second).toContainText('アップロード中 0 / 2 枚');
  await capture('workspace-uploads-paused', 'Resume');
  await uploads.getByRole('button', { name: '再開' }).click();
  await expect(second).toContainText('アップロード完了 2 / 2 枚', { timeout: 30_000 });

  // Files that cannot be imported say why in Japanese, never as a code.
  const notPhotos = join(photosDir, 'not-photos');
  mkdirSync(notPhotos, { recursive: true });
  writeFileSync(join(notPhotos, 'memo.jpg'), 'これは写真ではありません\n'.repeat(20));
  // 山田.jpg written in Shift_JIS: a name Linux keeps as bytes that are not UTF-8.
  writeFileSync(
    Buffer.concat([
      Buffer.from(`${notPhotos}/`),
      Buffer.from([0x8e, 0x52, 0x93, 0x63, 0x2e, 0x6a, 0x70, 0x67]),
    ]),
    'x',
  );
  await paths.fill(notPhotos);
  await page.getByRole('button', { name: '取り込む' }).click();
  const failures = page.getByTestId('import-progress').locator('.failures li');
  await expect(failures).toHaveCount(2);
  await expect(failures.filter({ hasText: 'memo.jpg' })).toContainText(
    '画像ファイルではありません',
  );
  await expect(failures.filter({ hasText: '\ufffdR\ufffdc.jpg' })).toContainText(
    'ファイル名の文字コードが UTF-8 ではないため読み込めません',
  );
  await expect(page.getByTestId('library-count')).toHaveText('5 枚中 5 枚を表示');
});

test('the library filters by import batch, day taken and use in the album', async () => {
  const count = page.getByTestId('library-count');
  const batch = page.getByLabel('取り込み', { exact: true });
  await expect(batch.locator('option')).toHaveCount(3);
  await batch.selectOption({ index: 2 });
  await expect(count).toHaveText('5 枚中 2 枚を表示');
  await batch.selectOption({ index: 0 });
  await page.getByLabel('撮影日（から）').fill('2026-03-01');
  await page.getByLabel('撮影日（まで）').fill('2026-03-31');
  await expect(count).toHaveText('5 枚中 3 枚を表示');
  await page.getByLabel('撮影日（から）').fill('');
  await page.getByLabel('撮影日（まで）').fill('');
  await expect(count).toHaveText('5 枚中 5 枚を表示');

  // A photo placed on page 1 (saved as the editor saves it): used once, shown on the strip.
  const albumId = await openAlbumId();
  const photos = await desktopCall(page, 'photos.list', {
    albumId,
  });
  const placed = photos.find((p) => p.fileName === 'photo-1-1.jpg')!;
  const pages = await desktopCall(page, 'pages.list', {
    albumId,
  });
  const first = pages.sort((a, b) => a.index - b.index)[0]!;
  await desktopCall(page, 'pages.save', {
    albumId,
    page: {
      ...first,
      elements: [
        {
          id: 'frame-1',
          kind: 'image',
          x: 20,
          y: 20,
          width: 120,
          height: 80,
          rotation: 0,
          locked: false,
          photoId: placed.id,
          placement: { fit: 'fill', scale: 1, offsetXMm: 0, offsetYMm: 0 },
        },
      ],
    },
  });
  // A reload finds everything; the workspace reads the saved page.
  await page.reload();
  await page.getByRole('button', { name: `開く: ${albumTitle}`, exact: true }).click();
  await expect(stripPage(1).locator('[data-kind="image"] image')).toHaveCount(1);
  await page.getByLabel('配置', { exact: true }).selectOption('used');
  await expect(count).toHaveText('5 枚中 1 枚を表示');
  await expect(page.locator('.photo-tile')).toHaveAttribute('data-placements', '1');
  await expect(page.locator('.photo-tile')).toContainText('×1');
  await page.getByLabel('配置', { exact: true }).selectOption('unused');
  await expect(count).toHaveText('5 枚中 4 枚を表示');
  await page.getByLabel('配置', { exact: true }).selectOption('');

  // Tiles are drag sources carrying the photo for the canvas.
  const data = await page.locator(`.photo-tile[data-photo-id="${placed.id}"]`).evaluate((tile) => {
    const transfer = new DataTransfer();
    tile.dispatchEvent(new DragEvent('dragstart', { dataTransfer: transfer, bubbles: true }));
    return transfer.getData('application/x-weebum-photo');
  });
  expect(JSON.parse(data)).toEqual({ photoId: placed.id, widthPx: 900, heightPx: 600 });
  await capture('workspace', 'Photos');
});

test('pages are added, reordered by dragging and deleted after a confirmation in the strip', async () => {
  const count = page.getByTestId('page-count');
  await expect(count).toHaveText('全 4 ページ');
  const [p1, p2, p3, p4] = await pageOrder();
  await stripPage(1).click();
  await page.getByRole('button', { name: 'ページを追加' }).click();
  await expect(count).toHaveText('全 5 ページ');
  const added = (await pageOrder())[1];
  expect(await pageOrder()).toEqual([p1, added, p2, p3, p4]);
  await expect(stripPage(2)).toHaveAttribute('aria-current', 'page');

  // Page 1 dragged onto the right half of page 3 (left binding: after it).
  const target = stripPage(3);
  const box = (await target.boundingBox())!;
  await stripPage(1).dragTo(target, {
    targetPosition: { x: box.width * 0.8, y: box.height / 2 },
  });
  await expect.poll(pageOrder).toEqual([added, p2, p1, p3, p4]);
  // The keyboard way: the current page one place earlier.
  await stripPage(4).click();
  await page.getByRole('button', { name: '前へ移動' }).click();
  await expect.poll(pageOrder).toEqual([added, p2, p3, p1, p4]);
  // The frame placed on the old page 1 moved with it.
  await expect(stripPage(4).locator('[data-kind="image"]')).toHaveCount(1);

  await stripPage(1).click();
  await page.getByRole('button', { name: 'ページを削除' }).click();
  const dialog = page.getByRole('dialog', { name: 'ページの削除' });
  await expect(dialog).toContainText('1 ページを削除しますか？');
  await capture('page-delete-confirm', 'Delete page 1?');
  await dialog.getByRole('button', { name: 'キャンセル' }).click();
  await expect(count).toHaveText('全 5 ページ');
  await page.getByRole('button', { name: 'ページを削除' }).click();
  await dialog.getByRole('button', { name: '削除する' }).click();
  await expect(count).toHaveText('全 4 ページ');
  expect(await pageOrder()).toEqual([p2, p3, p1, p4]);
  await expect(page.getByTestId('sync-pending')).toHaveText('未送信 0 件', { timeout: 30_000 });
});

test('school staff on another Weebum Studio see the pages after sync', async ({ browser }) => {
  await cloudApi(stack).addMember(schoolAdminToken, await openAlbumId(), staff.userId);
  const dir = mkdtempSync(join(tmpdir(), 'weebum-e2e-studio2-'));
  const caFile = join(dir, 'cloud-ca.pem');
  writeFileSync(caFile, stack.caPem);
  const started = await startStudio({
    ...process.env,
    WEEBUM_STUDIO_DATA_DIR: join(dir, 'data'),
    WEEBUM_TRUSTED_CA: caFile,
    WEEBUM_STUDIO_PORT: '0',
  });
  secondStudio = { ...started, dir };
  const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const other = await context.newPage();
  await other.goto(started.url);
  await signIn(other, staff.loginId, staff.password);
  const open = other.getByRole('button', { name: `開く: ${albumTitle}`, exact: true });
  await expect(open).toBeVisible({ timeout: 30_000 });
  await open.click();
  await expect(other.getByTestId('page-count')).toHaveText('全 4 ページ', { timeout: 30_000 });
  const order = await other
    .getByRole('navigation', { name: '見開き' })
    .locator('button[data-page-id]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-page')));
  expect(order.map(Number).sort()).toEqual([1, 2, 3, 4]);
  // The page with the frame is third, as the designer left it.
  await expect(
    other
      .getByRole('navigation', { name: '見開き' })
      .locator('button[data-page="3"] [data-kind="image"]'),
  ).toHaveCount(1);

  // The photos the designer's computer uploaded are this computer's too (decision 17): the
  // library lists them with thumbnails fetched from the cloud, and the frame shows its photo.
  await expect(other.getByTestId('library-count')).toHaveText('5 枚中 5 枚を表示', {
    timeout: 30_000,
  });
  const tiles = other.locator('.photo-tile img');
  await expect(tiles).toHaveCount(5);
  await expect
    .poll(() =>
      tiles.evaluateAll(
        (imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length,
      ),
    )
    .toBe(5);
  await expect(
    other
      .getByRole('navigation', { name: '見開き' })
      .locator('button[data-page="3"] [data-kind="image"] image'),
  ).toHaveCount(1);
  await other.getByRole('navigation', { name: '見開き' }).locator('button[data-page="3"]').click();
  const albumId = await openAlbumId();
  const album = await desktopCall(other, 'albums.open', {
    albumId,
  });
  // Page 3 is the right-hand page of its spread (left binding); the frame is 120 x 80 mm at 20 mm.
  const canvas = other.getByTestId('editor-canvas');
  const centre = async () => {
    const box = (await canvas.boundingBox())!;
    const zoom = Number(await canvas.getAttribute('data-zoom'));
    const vx = Number(await canvas.getAttribute('data-view-x'));
    const vy = Number(await canvas.getAttribute('data-view-y'));
    const scale = (zoom * 96) / 25.4;
    return {
      x: box.x + vx + (album.trim.widthMm + 80) * scale,
      y: box.y + vy + 60 * scale,
    };
  };
  // photo-1-1.jpg is rgb(70, 140, 0); an unresolved frame is grey (#e4e8ef or #cfd6e2).
  const frameColour = async () => {
    const { x, y } = await centre();
    const shot = await other.screenshot({ clip: { x: x - 2, y: y - 2, width: 4, height: 4 } });
    const [r, g, b] = (await sharp(shot).stats()).channels.map((c) => c.mean);
    return { r: r!, g: g!, b: b! };
  };
  await expect
    .poll(
      async () => {
        const { r, g, b } = await frameColour();
        return Math.abs(r - 70) < 24 && Math.abs(g - 140) < 24 && b < 40;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await other.screenshot({ path: 'e2e/screenshots/ja/second-studio-editor.png' });
  await other.getByRole('button', { name: 'English' }).click();
  await expect(other.getByTestId('library-count')).toHaveText('Showing 5 of 5 photos');
  await other.screenshot({ path: 'e2e/screenshots/en/second-studio-editor.png' });
  await context.close();
});

test('a tenant admin creates a user and sees it in the audit log in JST', async () => {
  await page.getByRole('button', { name: 'ユーザー管理' }).click();
  await page.getByLabel('ログインID').fill('h6b-designer-2');
  await page.getByLabel('表示名').fill('小林 さくら');
  await page.getByRole('button', { name: '追加する' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();
  await expect(page.getByRole('cell', { name: 'h6b-designer-2' })).toBeVisible();
  await capture('admin-users', 'Add a user');
  await page.getByRole('button', { name: '監査ログ' }).click();
  const created = page.locator('tbody tr', { hasText: 'user.create' }).first();
  await expect(created.locator('td').first()).toHaveText(/^\d{4}-\d\d-\d\dT[\d:.]+\+09:00$/);
  await capture('audit', 'Audit log');
});

test('the pages logged no errors', () => {
  expect(pageErrors).toEqual([]);
});
