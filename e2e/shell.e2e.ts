import { expect, test } from '@playwright/test';

test('the renderer shell renders in Chromium', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Weebum Studio');
  await expect(page.getByRole('heading', { name: 'Weebum Studio' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/shell.png' });
});
