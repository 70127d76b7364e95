import { defineConfig } from '@playwright/test';
import { findElectronBinary } from './build/electronBinary.mjs';
import { playwrightProjects } from './e2e/projects.js';

// Debian's Chromium: Playwright's own browser download is not reachable from our machines.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The studio host's port (e2e/globalSetup.ts starts it there, with a real Weebum Cloud).
const port = Number(process.env.E2E_PORT ?? 4179);
// The Electron smoke test runs only where Electron's binary exists; elsewhere the run says
// why, once (workers load this file too), and the same journey runs through the browser host
// (e2e/npmStart.e2e.ts). The report's metadata carries the reason to CI's closing summary
// (.ci/summarize-tests.mjs), which shows NOT RUN in a box.
const electron = findElectronBinary();
if (electron.path === null && process.env.TEST_WORKER_INDEX === undefined) {
  console.log(`Electron smoke test not run: ${electron.reason}`);
}
const { projects, metadata } = playwrightProjects(electron);

export default defineConfig({
  testDir: 'e2e',
  projects,
  metadata,
  // Playwright empties its output folder at start; keep it apart from the other reports.
  outputDir: 'test-results/playwright',
  globalSetup: './e2e/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
