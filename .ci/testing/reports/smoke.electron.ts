import { expect, test } from '@playwright/test';

// Stands in for e2e/electron/smoke.electron.ts: ran means the electron project ran.
test('passes in the electron project', () => {
  expect([1, 2].length).toBe(2);
});
