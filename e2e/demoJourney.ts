import { expect, type Page } from '@playwright/test';
import { changeTemporaryPassword, submitSignIn } from './studioPage.js';

/** What `npm start` prints: the demo accounts (first run only) and where to go. */
export interface StartOutput {
  readonly accounts: ReadonlyMap<
    string,
    { readonly password: string; readonly temporary: boolean }
  >;
  readonly studioUrl: string | null;
  readonly cloudUrl: string | null;
}

export const DEMO_ALBUM = '令和8年度 デモ小学校 卒業アルバム';

export function parseStartOutput(stdout: string): StartOutput {
  const accounts = new Map<string, { password: string; temporary: boolean }>();
  for (const m of stdout.matchAll(/login id (\S+)\s+(temporary password|password) (\S+)/g)) {
    accounts.set(m[1] as string, { password: m[3] as string, temporary: m[2] !== 'password' });
  }
  const open = /Open (\S+) and sign in to (https:\/\/\S+)\./.exec(stdout);
  return { accounts, studioUrl: open?.[1] ?? null, cloudUrl: open?.[2] ?? null };
}

/**
 * A new user's first minutes: sign in with a printed demo account (changing a temporary
 * password as asked), find the demo album in the list and open it.
 */
export async function openDemoAlbum(
  page: Page,
  cloudUrl: string,
  loginId: string,
  password: string,
  newPassword: string | null,
): Promise<void> {
  await expect(page.getByRole('heading', { name: 'サインイン' })).toBeVisible();
  await submitSignIn(page, { server: cloudUrl, loginId, password });
  if (newPassword !== null) await changeTemporaryPassword(page, password, newPassword);
  await expect(page.getByRole('heading', { name: 'アルバム一覧' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: DEMO_ALBUM });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: '開く' }).click();
  await expect(page.getByRole('heading', { name: DEMO_ALBUM })).toBeVisible();
  await expect(page.getByText('全8ページ')).toBeVisible();
}
