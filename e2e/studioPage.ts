import { type Browser, type Page } from '@playwright/test';

/**
 * A Weebum Studio page as a Japanese designer's PC shows it (ja-JP, Asia/Tokyo), recording every
 * script error and console error into `errors`, which each journey checks is empty at its end.
 */
export async function openStudioPage(
  browser: Browser,
  options: { errors: string[]; viewport?: { width: number; height: number } },
): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => options.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') options.errors.push(message.text());
  });
  return page;
}

/** Fills the sign-in form and sends it (whatever comes next is the caller's to check). */
export async function submitSignIn(
  page: Page,
  account: { server: string; loginId: string; password: string },
): Promise<void> {
  await page.getByLabel('サーバー').fill(account.server);
  await page.getByLabel('ログインID').fill(account.loginId);
  await page.getByLabel('パスワード', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
}

/** Answers the forced change of a temporary password. */
export async function changeTemporaryPassword(
  page: Page,
  temporary: string,
  next: string,
): Promise<void> {
  await page.getByLabel('現在のパスワード（仮パスワード）').fill(temporary);
  await page.getByLabel('新しいパスワード', { exact: true }).fill(next);
  await page.getByLabel('新しいパスワード（確認）').fill(next);
  await page.getByRole('button', { name: '変更する' }).click();
}
