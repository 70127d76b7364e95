// Prints one closing line for CI from the JSON reports of Vitest and Playwright, and fails
// when either runner ran nothing (a green run that tested nothing is not green).
import { readFileSync } from 'node:fs';
import { findElectronBinary } from '../build/electronBinary.mjs';

const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

const vitest = read('test-results/vitest.json');
passed += vitest.numPassedTests;
failed += vitest.numFailedTests;
skipped += vitest.numPendingTests + vitest.numTodoTests;
if (vitest.numTotalTests === 0) problems.push('vitest ran no test');

const playwright = read('test-results/playwright.json');
passed += playwright.stats.expected;
failed += playwright.stats.unexpected + playwright.stats.flaky;
skipped += playwright.stats.skipped;
if (playwright.stats.expected + playwright.stats.unexpected + playwright.stats.flaky === 0) {
  problems.push('playwright ran no test');
}

// Not a skip inside the run: the project is absent, so say so here (playwright.config.ts).
const electron = findElectronBinary();
if (electron.path === null) console.log(`Electron smoke test: not run (${electron.reason})`);

for (const problem of problems) console.error(`ci: ${problem}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
