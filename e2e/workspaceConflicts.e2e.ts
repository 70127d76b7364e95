import { expect, test, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCloudSession } from '../src-main/services/cloud/cloudSession.js';
import { createHttpsTransport } from '../src-main/services/cloud/httpsTransport.js';
import { memoryTokens } from '../src-main/testing/cloudFixture.js';
import { openSyncCore, type SyncCore } from '../src-main/testing/syncCore.js';
import type { MethodArgs, MethodName, MethodResult } from '../src-shared/desktop/contract.js';
import { desktopCall } from './desktopCall.js';
import type { Page as AlbumPage, TextBox } from '../src-shared/model/page.js';
import { cloudApi } from './cloudApi.js';
import { startStudio } from './globalSetup.js';
import { readStack, type E2eStack } from './stack.js';
import { openStudioPage, submitSignIn } from './studioPage.js';

/**
 * A real sync conflict and the designer walking to it: a studio admin edits a text box's
 * content in the browser while a designer on another desktop core changed the same content
 * and synced first. The browser's core finds the same field changed on both sides when it
 * pushes (412, merge), keeps the server's value and reports the conflict; the conflicts list
 * shows it, and opening it brings its page and element into the editor.
 *
 * The browser's Weebum Studio is started here with sync running only after local changes
 * (WEEBUM_SYNC_INTERVAL_MS of an hour), so that it cannot pull the other edit before it pushes
 * its own: the conflict is certain, not a race with the 5 s timer.
 */
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const ADMIN = { loginId: 'kaede-admin', password: 'kaede-admin-pass-2026' };
const DESIGNER = { loginId: 'kaede-designer', password: 'kaede-designer-pass-2026', id: '' };
const ALBUM_TITLE = '令和8年度 卒業アルバム（競合）';

let stack: E2eStack;
let page: Page;
let studio: { child: ChildProcess; url: string } | null = null;
let dir = '';
let schoolId = '';
let adminToken = '';
let albumId = '';
let other: SyncCore | null = null;
let closeTransport: () => void = () => undefined;
const pageErrors: string[] = [];

/** A desktop API call from inside this file's page. */
const desktop = <M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> =>
  desktopCall(page, method, args);

const shot = (name: string) => page.screenshot({ path: `e2e/screenshots/conflicts-${name}.png` });

/** The same screen in English (its checks and screenshot), then back to Japanese. */
async function inEnglish(check: () => Promise<void>) {
  await page.getByRole('button', { name: 'English' }).click();
  await check();
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('complementary', { name: 'プロパティ' })).toBeVisible();
}

/** The other core's copy of the album's page with this index (0-based), after a sync. */
async function otherPage(index: number): Promise<AlbumPage | undefined> {
  await other!.engine.syncNow();
  const listed = other!.store.pages.list(albumId);
  return listed.ok ? listed.value.find((p) => p.index === index) : undefined;
}

test.beforeAll(async ({ browser }) => {
  stack = readStack();
  const cloud = cloudApi(stack);
  const operator = await cloud.operatorToken();
  const studioId = await cloud.createTenant(operator, 'studio', 'かえで写真館');
  schoolId = await cloud.createTenant(operator, 'school', '楓ヶ丘小学校');
  const adminTemporary = await cloud.createAdmin(operator, studioId, ADMIN.loginId, '楓 管理者');
  adminToken = await cloud.changePassword(
    await cloud.signIn(ADMIN.loginId, adminTemporary),
    adminTemporary,
    ADMIN.password,
  );
  const designer = await cloud.createUser(
    adminToken,
    DESIGNER.loginId,
    '楓 デザイナー',
    'designer',
  );
  DESIGNER.id = designer.userId;
  await cloud.changePassword(
    await cloud.signIn(DESIGNER.loginId, designer.temporaryPassword),
    designer.temporaryPassword,
    DESIGNER.password,
  );

  dir = await mkdtemp(join(tmpdir(), 'weebum-e2e-conflicts-'));
  const caFile = join(dir, 'cloud-ca.pem');
  await writeFile(caFile, stack.caPem);
  studio = await startStudio({
    ...process.env,
    WEEBUM_STUDIO_DATA_DIR: join(dir, 'studio'),
    WEEBUM_TRUSTED_CA: caFile,
    WEEBUM_STUDIO_PORT: '0',
    WEEBUM_SYNC_INTERVAL_MS: String(60 * 60 * 1000),
  });

  // The designer's desktop core: a sync engine this test drives.
  const transport = createHttpsTransport({ baseUrl: stack.cloudUrl, ca: Buffer.from(stack.caPem) });
  closeTransport = () => transport.close();
  const session = createCloudSession({ transport, tokens: memoryTokens() });
  await session.signIn(DESIGNER.loginId, DESIGNER.password);
  other = await openSyncCore({ dir: join(dir, 'other'), serverUrl: stack.cloudUrl, session });

  page = await openStudioPage(browser, { errors: pageErrors });
  await page.goto(studio.url);
});

test.afterAll(async () => {
  await page?.context().close();
  await other?.close();
  closeTransport();
  if (studio && studio.child.exitCode === null) {
    const exited = new Promise((resolve) => studio!.child.once('exit', resolve));
    studio.child.kill('SIGTERM');
    await exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the admin makes an album and a text box the designer also sees', async () => {
  await submitSignIn(page, {
    server: stack.cloudUrl,
    loginId: ADMIN.loginId,
    password: ADMIN.password,
  });
  await expect(page.getByRole('heading', { name: 'アルバム一覧' })).toBeVisible();
  await page.getByRole('button', { name: '新しいアルバム' }).click();
  await page.getByLabel('タイトル').fill(ALBUM_TITLE);
  await page.getByLabel('学校ID').fill(schoolId);
  await page.getByLabel('学校名').fill('楓ヶ丘小学校');
  await page.getByLabel(/^A4（/).check();
  await page.getByLabel(/左綴じ/).check();
  await page.getByLabel('最初のページ数').fill('4');
  await page.getByRole('button', { name: '作成する' }).click();
  await expect(page.getByText(`アルバム「${ALBUM_TITLE}」を作成しました。`)).toBeVisible();
  albumId = (await desktop('albums.list', {})).find((a) => a.title === ALBUM_TITLE)?.id ?? '';
  expect(albumId).not.toBe('');
  await cloudApi(stack).addMember(adminToken, albumId, DESIGNER.id);

  await page.getByRole('button', { name: `開く: ${ALBUM_TITLE}` }).click();
  await expect(page.locator('.editor')).toHaveAttribute('data-fonts-ready', 'true');
  // Spread 2: pages 2 and 3; the new text box goes on page 2.
  await page.getByTitle('次の見開き').click();
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 2 / 3');
  await page.getByRole('button', { name: 'テキスト', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  await panel.getByLabel('内容').fill('楓ヶ丘の思い出');
  await panel.getByLabel('サイズ (pt)').click();
  // Saved, pushed and pulled by the designer's core. A save made while a sync runs waits for
  // the next one (an hour here): the sync button's call pushes it.
  await expect
    .poll(
      async () => {
        await desktop('sync.now', {});
        return (await otherPage(1))?.elements.find((e) => e.kind === 'text');
      },
      {
        timeout: 20_000,
      },
    )
    .toMatchObject({ text: '楓ヶ丘の思い出' });
});

test('both change the same text: the browser reports a conflict and keeps the other value', async () => {
  // The designer changes the content and syncs first.
  const before = (await otherPage(1))!;
  const box = before.elements.find((e): e is TextBox => e.kind === 'text')!;
  other!.store.pages.saveLocal(albumId, {
    ...before,
    elements: before.elements.map((e) => (e.id === box.id ? { ...e, text: '楓ヶ丘 六年生' } : e)),
  });
  await other!.engine.syncNow();
  expect(other!.engine.state()).toMatchObject({ pending: 0 });

  // The admin, who has not synced since, changes the same content.
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  await panel.getByLabel('内容').fill('楓ヶ丘の卒業生');
  await panel.getByLabel('サイズ (pt)').click();

  const conflicts = page.getByRole('region', { name: /^競合 1 件$/ });
  await expect(conflicts).toBeVisible({ timeout: 20_000 });
  // The element by its kind and the text it now shows, the field in words.
  await expect(conflicts.getByRole('button', { name: /^2 ページ — / })).toHaveText(
    '2 ページ — テキスト「楓ヶ丘 六年生」の文字を他の人の変更にしました',
  );
  // The merge kept the server's value; the editor reloaded the page.
  await expect(panel.getByLabel('内容')).toHaveValue('楓ヶ丘 六年生');
  expect(await desktop('conflicts.list', { albumId })).toEqual([
    expect.objectContaining({ pageId: before.id, elementId: box.id, field: 'text' }),
  ]);
  await shot('reported-ja');
  await inEnglish(async () => {
    await expect(
      page
        .getByRole('region', { name: /^1 conflict$/ })
        .getByRole('button', { name: /^Page 2 — / }),
    ).toHaveText('Page 2 — Text box “楓ヶ丘 六年生”: its text took the other change');
    await shot('reported-en');
  });
});

test('opening the conflict shows its page and selects the element; done dismisses it', async () => {
  const panel = page.getByRole('complementary', { name: 'プロパティ' });
  // Elsewhere first: the first spread, nothing selected.
  await page.getByTitle('前の見開き').click();
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 1 / 3');
  await expect(panel.getByText('要素を選択すると')).toBeVisible();

  const conflicts = page.getByRole('region', { name: /^競合 1 件$/ });
  await conflicts.getByRole('button', { name: /^2 ページ — / }).click();
  await expect(page.getByTestId('spread-position')).toHaveText('見開き 2 / 3');
  await expect(panel.getByRole('heading', { name: 'テキスト' })).toBeVisible();
  await expect(panel.getByLabel('内容')).toHaveValue('楓ヶ丘 六年生');
  await expect(conflicts.locator('li.current')).toHaveCount(1);
  await shot('focused-ja');
  await inEnglish(async () => {
    await expect(
      page.getByRole('complementary', { name: 'Properties' }).getByLabel('Content'),
    ).toHaveValue('楓ヶ丘 六年生');
    await shot('focused-en');
  });

  await conflicts.getByRole('button', { name: '確認済み' }).click();
  await expect(conflicts).toBeHidden();
  expect(await desktop('conflicts.list', { albumId })).toEqual([]);
});

test('the page logged no errors', () => {
  expect(pageErrors).toEqual([]);
});
