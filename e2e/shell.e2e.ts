import { expect, test } from '@playwright/test';

test('the renderer shell renders in Chromium', async ({ page }) => {
  // Without the host's token the page cannot reach the desktop API and says how to open it.
  await page.goto('/');
  await expect(page).toHaveTitle('Weebum Studio');
  await expect(page.getByRole('heading', { name: 'Weebum Studio' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Weebum Studio に接続できません');
  await page.screenshot({ path: 'test-results/screenshots/shell.png' });
});
