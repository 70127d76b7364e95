import { expect, type Page } from '@playwright/test';

/**
 * Brings the page to the sign-in screen. Every e2e file shares one Studio host, which may still
 * be signed in from an earlier file; the check waits until the app has shown one screen or the
 * other, so it does not race the app's first render (a bare `isVisible()` did, once in CI).
 */
export async function toSignInScreen(page: Page): Promise<void> {
  const signOut = page.getByRole('button', { name: 'サインアウト' });
  const heading = page.getByRole('heading', { name: 'サインイン' });
  await expect(signOut.or(heading)).toBeVisible();
  if (await signOut.isVisible()) await signOut.click();
  await expect(heading).toBeVisible();
}
