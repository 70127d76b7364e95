import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { cloudApi, OPERATOR_E2E_PASSWORD } from './cloudApi.js';
import { readStack, type E2eStack } from './stack.js';
import { changeTemporaryPassword, openStudioPage, submitSignIn } from './studioPage.js';

/**
 * A day in Weebum Studio through the browser host against a real Weebum Cloud: the operator's
 * first sign-in, a studio admin's forced password change, a designer created in the Admin
 * screen, albums with both binding sides, the language switch and the audit log in JST.
 * One page for the whole walk: the desktop app has one signed-in user at a time.
 */
test.describe.configure({ mode: 'serial' });

let stack: E2eStack;
let page: Page;
const operatorPassword = OPERATOR_E2E_PASSWORD;
const adminLoginId = 'sakura-admin';
const adminPassword = 'sakura-admin-pass-2026';
let schoolId = '';
let adminTemporary = '';
/** Errors the page logged (a CSP violation, a failed script): there must be none. */
const pageErrors: string[] = [];

/**
 * The whole screen: the content scrolls between the header and the status bar, so the window
 * is made tall enough for all of it during the shot.
 */
async function shot(name: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const hidden = await page.evaluate(() => {
    const content = document.querySelector('.content, .centered-page');
    return content ? content.scrollHeight - content.clientHeight : 0;
  });
  if (hidden > 0) await page.setViewportSize({ width: size.width, height: size.height + hidden });
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
  if (hidden > 0) await page.setViewportSize(size);
}

const signIn = (loginId: string, password: string, server = stack.cloudUrl) =>
  submitSignIn(page, { server, loginId, password });

const changePassword = (current: string, next: string) =>
  changeTemporaryPassword(page, current, next);

test.beforeAll(async ({ browser }) => {
  stack = readStack();
  page = await openStudioPage(browser, {
    errors: pageErrors,
    viewport: { width: 1280, height: 800 },
  });
  await page.goto(stack.studioUrl);
});

test.afterAll(async () => {
  await page.context().close();
});

test('a wrong password is refused in Japanese', async () => {
  await expect(page.getByRole('heading', { name: 'サインイン' })).toBeVisible();
  await shot('sign-in');
  await signIn(stack.operator.loginId, 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText(
    'ログインIDまたはパスワードが正しくありません。',
  );
  // The password field is emptied after every submit.
  await expect(page.getByLabel('パスワード', { exact: true })).toHaveValue('');
  await shot('sign-in-wrong-password');
});

test('repeated failures lock the login id, in Japanese', async () => {
  const alert = page.getByRole('alert');
  for (let attempt = 0; attempt < 8; attempt++) {
    await signIn('nobody-here', `wrong-${attempt}`);
    await expect(alert).toHaveAttribute('data-code', /invalid_credentials|account_locked/);
    if ((await alert.getAttribute('data-code')) === 'account_locked') break;
  }
  await expect(alert).toHaveText(
    'サインインの失敗が続いたため、一時的にロックされています。しばらく待ってからもう一度お試しください。',
  );
  await shot('sign-in-locked');
});

test('an address that is not https is refused before any request', async () => {
  await page.getByLabel('サーバー').fill('http://127.0.0.1:1');
  await page.getByLabel('ログインID').fill('someone');
  await page.getByLabel('パスワード', { exact: true }).fill('whatever');
  await page.getByRole('button', { name: 'サインイン' }).click();
  await expect(page.getByRole('alert')).toContainText('https://');
});

test('an unreachable server is reported as such', async () => {
  await signIn('someone', 'whatever', 'https://127.0.0.1:1');
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'server_unreachable');
  await expect(page.getByRole('alert')).toContainText('サーバーに接続できません');
});

test('the temporary password forces a password change', async () => {
  await signIn(stack.operator.loginId, stack.operator.temporaryPassword);
  await expect(page.getByRole('heading', { name: 'パスワードの変更' })).toBeVisible();
  await expect(page.getByText('8〜128文字')).toBeVisible();
  await shot('password-change');
  // Too short is refused on the spot; the server's rules apply too.
  await changePassword(stack.operator.temporaryPassword, 'short');
  await expect(page.getByRole('alert')).toHaveText('パスワードは8文字以上にしてください。');
  await changePassword(stack.operator.temporaryPassword, operatorPassword);
  // The operator has no albums: they land on the audit log.
  await expect(page.getByRole('heading', { name: '監査ログ' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'ユーザー管理' })).toHaveCount(0);
});

test('the operator sets up a studio, its admin and a school (cloud API)', async () => {
  const api = cloudApi(stack);
  const token = await api.signIn(stack.operator.loginId, operatorPassword);
  const studioId = await api.createTenant(token, 'studio', 'さくら写真館');
  schoolId = await api.createTenant(token, 'school', '桜ヶ丘中学校');
  adminTemporary = await api.createAdmin(token, studioId, adminLoginId, '佐藤 花子');
  expect(adminTemporary.length).toBeGreaterThanOrEqual(20);
});

test('the studio admin signs in and changes the temporary password', async () => {
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await expect(page.getByRole('heading', { name: 'サインイン' })).toBeVisible();
  // The server address is remembered (it is not a secret).
  await expect(page.getByLabel('サーバー')).toHaveValue(stack.cloudUrl);
  await signIn(adminLoginId, adminTemporary);
  await expect(page.getByRole('heading', { name: 'パスワードの変更' })).toBeVisible();
  await changePassword(adminTemporary, adminPassword);
  await expect(page.getByRole('heading', { name: 'アルバム一覧' })).toBeVisible();
  await expect(page.getByText('アルバムはまだありません。')).toBeVisible();
  await expect(page.getByTestId('sync-connection')).toHaveText('オンライン');
  await shot('albums-empty');
});

test('the admin creates a designer; the temporary password is shown once', async () => {
  await page.getByRole('button', { name: 'ユーザー管理' }).click();
  await expect(page.getByRole('heading', { name: 'ユーザー管理' })).toBeVisible();
  const roles = page.getByLabel('役割');
  await expect(roles.locator('option')).toHaveText(['写真館 管理者', 'デザイナー']);
  await page.getByLabel('ログインID').fill('tanaka-designer');
  await page.getByLabel('表示名').fill('田中 一郎');
  await roles.selectOption('designer');
  await page.getByRole('button', { name: '追加する' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('田中 一郎 の仮パスワード');
  const temporary = (await dialog.getByTestId('temporary-password').textContent()) ?? '';
  expect(temporary).toHaveLength(20);
  await expect(dialog.getByRole('button', { name: 'コピー' })).toBeVisible();
  await shot('admin-temporary-password');
  await dialog.getByRole('button', { name: /閉じる/ }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByText(temporary)).toHaveCount(0);
  const row = page.locator('tr[data-login-id="tanaka-designer"]');
  await expect(row).toContainText('デザイナー');
  await expect(row).toContainText('仮パスワード');
  await shot('admin-users');

  // Disable, then delete with a confirmation.
  await row.getByRole('button', { name: '無効にする' }).click();
  await expect(row).toContainText('無効');
  await row.getByRole('button', { name: '削除' }).click();
  await expect(page.getByRole('dialog')).toContainText('田中 一郎 を削除しますか？');
  await shot('admin-confirm-delete');
  await page.getByRole('dialog').getByRole('button', { name: 'キャンセル' }).click();
  await expect(row).toBeVisible();
});

test('the admin resets a password (shown once) and deletes a user', async () => {
  const row = page.locator('tr[data-login-id="tanaka-designer"]');
  await row.getByRole('button', { name: '有効にする' }).click();
  await expect(row).toContainText('有効');
  await row.getByRole('button', { name: 'パスワード再発行' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '再発行する' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('田中 一郎 の仮パスワード');
  await expect(dialog.getByTestId('temporary-password')).toHaveText(/^\S{20}$/);
  await dialog.getByRole('button', { name: /閉じる/ }).click();
  await row.getByRole('button', { name: '削除' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '削除する' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'ユーザーを削除しました。' }),
  ).toBeVisible();
  await expect(row).toHaveCount(0);
});

test('the album form checks its fields with the shared schema', async () => {
  await page.getByRole('button', { name: 'アルバム', exact: true }).click();
  await page.getByRole('button', { name: '新しいアルバム' }).click();
  await page.getByLabel('学校ID').fill('not-a-uuid');
  await page.getByLabel('塗り足し (mm)').fill('30');
  await page.getByRole('button', { name: '作成する' }).click();
  await expect(page.getByText('入力内容を確認してください。')).toBeVisible();
  await expect(page.getByText('UUID の形式で入力してください。')).toBeVisible();
  await expect(page.getByText('20 以下で入力してください。')).toBeVisible();
  await shot('album-create-invalid');
  await page.getByRole('button', { name: 'キャンセル' }).click();
});

async function createAlbum(title: string, preset: RegExp, binding: RegExp, pages: number) {
  await page.getByRole('button', { name: '新しいアルバム' }).click();
  await page.getByLabel('タイトル').fill(title);
  await page.getByLabel('学校ID').fill(schoolId);
  await page.getByLabel('学校名').fill('桜ヶ丘中学校');
  await page.getByLabel(preset).check();
  await page.getByLabel(binding).check();
  await page.getByLabel('最初のページ数').fill(String(pages));
  await page.getByRole('button', { name: '作成する' }).click();
  await expect(page.getByText(`アルバム「${title}」を作成しました。`)).toBeVisible();
}

test('albums are created with both binding sides and listed', async () => {
  await createAlbum('令和8年度 卒業アルバム', /^A4（/, /左綴じ/, 6);
  await page.getByRole('button', { name: '新しいアルバム' }).click();
  await shot('album-create');
  await page.getByRole('button', { name: 'キャンセル' }).click();
  await createAlbum('令和8年度 卒業アルバム（縦書き）', /^B5/, /右綴じ/, 5);
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('桜ヶ丘中学校');
  await expect(rows.first()).toContainText('制作中');
  await expect(page.getByTestId('sync-connection')).toHaveText('オンライン');
  // The sync engine pushes the new pages: the list settles at "synced".
  await expect(page.getByText('同期済み')).toHaveCount(2, { timeout: 20_000 });
  await shot('albums');
});

test('the workspace shows spreads as they print: left binding', async () => {
  await page.getByRole('button', { name: '開く: 令和8年度 卒業アルバム', exact: true }).click();
  await expect(page.getByRole('heading', { name: '令和8年度 卒業アルバム' })).toBeVisible();
  const strip = page.getByRole('navigation', { name: '見開き' });
  const spreads = strip.getByRole('listitem');
  await expect(spreads).toHaveCount(4); // 1 | 2-3 | 4-5 | 6
  await expect(spreads.nth(0).locator('[data-side="right"]')).toHaveText('1');
  await expect(spreads.nth(0).locator('[data-side="left"]')).toHaveAttribute('data-page', '');
  await expect(spreads.nth(1).locator('[data-side="left"]')).toHaveText('2');
  await expect(spreads.nth(1).locator('[data-side="right"]')).toHaveText('3');
  await expect(page.getByRole('toolbar', { name: '編集ツール' })).toBeVisible();
  await shot('workspace-left-binding');
  await page.getByRole('button', { name: /アルバム一覧へ/ }).click();
});

test('preflight lists the page count error; export needs its confirmation, then writes the PDF', async () => {
  await page.getByRole('button', { name: '開く: 令和8年度 卒業アルバム', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'プリフライト（入稿前チェック）' });
  await expect(panel.getByTestId('preflight-summary')).toHaveText('エラー 1 件・警告 0 件');
  await expect(panel).toContainText(
    'ページ数 6 は 4 の倍数ではありません（8 ページにしてください）。',
  );
  await panel.getByTestId('export-open').click();
  const dialog = page.getByRole('dialog', { name: '入稿用 PDF の書き出し' });
  await expect(dialog.getByTestId('export-summary')).toHaveText(
    'プリフライト: エラー 1 件・警告 0 件',
  );
  const destination = join(mkdtempSync(join(tmpdir(), 'weebum-e2e-export-')), 'album.pdf');
  await dialog.getByTestId('export-destination').fill(destination);
  await expect(dialog.getByTestId('export-start')).toBeDisabled();
  await dialog.getByTestId('export-confirm-errors').check();
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-status')).toHaveText(`書き出しました: ${destination}`);
  expect(readFileSync(destination).subarray(0, 5).toString()).toBe('%PDF-');
  await dialog.getByRole('button', { name: '閉じる' }).click();
  await page.getByRole('button', { name: /アルバム一覧へ/ }).click();
});

test('the workspace shows spreads as they print: right binding', async () => {
  await page.getByRole('button', { name: '開く: 令和8年度 卒業アルバム（縦書き）' }).click();
  const spreads = page.getByRole('navigation', { name: '見開き' }).getByRole('listitem');
  await expect(spreads).toHaveCount(3); // 1 | 3-2 | 5-4
  await expect(spreads.nth(0).locator('[data-side="left"]')).toHaveText('1');
  await expect(spreads.nth(0).locator('[data-side="right"]')).toHaveAttribute('data-page', '');
  await expect(spreads.nth(1).locator('[data-side="right"]')).toHaveText('2');
  await expect(spreads.nth(1).locator('[data-side="left"]')).toHaveText('3');
  await expect(page.getByRole('toolbar', { name: '編集ツール' })).toBeVisible();
  await shot('workspace-right-binding');
});

test('the language switches to English and back', async () => {
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('navigation', { name: 'Spreads' })).toBeVisible();
  await expect(page.getByRole('toolbar', { name: 'Editing tools' })).toBeVisible();
  await shot('workspace-right-binding-en');
  await page.getByRole('button', { name: /Back to albums/ }).click();
  await expect(page.getByRole('heading', { name: 'Albums' })).toBeVisible();
  await expect(page.getByText('Draft').first()).toBeVisible();
  await shot('albums-en');
  await page.getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Add a user' })).toBeVisible();
  await shot('admin-users-en');
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { name: 'ユーザー管理' })).toBeVisible();
});

test('the audit log shows the user creation in JST, or UTC on request', async () => {
  await page.getByRole('button', { name: '監査ログ' }).click();
  await expect(page.getByRole('heading', { name: '監査ログ' })).toBeVisible();
  const created = page.locator('tbody tr', { hasText: 'user.create' }).first();
  await expect(created).toBeVisible();
  await expect(created.locator('td').first()).toHaveText(/^\d{4}-\d\d-\d\dT[\d:.]+\+09:00$/);
  await shot('audit-jst');
  await page.getByText('UTC', { exact: true }).click();
  await expect(created.locator('td').first()).toHaveText(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
  await shot('audit-utc');
});

test('signing out returns to the sign-in screen, in either language', async () => {
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Server')).toHaveValue(stack.cloudUrl);
  await shot('sign-in-en');
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('heading', { name: 'サインイン' })).toBeVisible();
});

test('the page logged no errors (no CSP violation, no failed script)', () => {
  expect(pageErrors).toEqual([]);
});
