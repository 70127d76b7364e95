import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { playwrightProjects } from '../../../e2e/projects.js';

/**
 * A small real Playwright run for .ci/summarizeTests.test.ts: the e2e suite's projects
 * (e2e/projects.ts) over one trivial test each, with Electron's binary named by the
 * environment: REPORT_DIR gets the JSON report; ELECTRON_BINARY is a path, or unset with
 * ELECTRON_MISSING_REASON saying why.
 */
const reportDir = process.env['REPORT_DIR'] ?? 'test-results';
const binaryPath = process.env['ELECTRON_BINARY'];
const { projects, metadata } = playwrightProjects(
  binaryPath
    ? { path: binaryPath }
    : { path: null, reason: process.env['ELECTRON_MISSING_REASON'] ?? 'no reason given' },
);

export default defineConfig({
  testDir: '.',
  projects,
  metadata,
  outputDir: join(reportDir, 'playwright'),
  workers: 1,
  reporter: [['json', { outputFile: join(reportDir, 'playwright.json') }]],
});
