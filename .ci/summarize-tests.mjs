// CI's closing summary from the JSON reports of Vitest and Playwright: one count line, then a
// box for each suite that did not run (the real-Electron smoke test where its binary is
// missing), so that a green run cannot hide it. Fails when a runner ran nothing or did not
// report (a green run that tested nothing is not green). Usage: summarize-tests.mjs [dir]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'test-results';
const read = (file) => {
  const path = join(dir, file);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
};

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
/** Suites that did not run, with why. */
const notRun = [];

const vitest = read('vitest.json');
if (vitest === null) problems.push(`no Vitest report in ${dir}: the run stopped before Vitest`);
else {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  if (vitest.numTotalTests === 0) problems.push('vitest ran no test');
}

/** Every test of a Playwright report (suites nest). */
function* playwrightTests(suites) {
  for (const suite of suites ?? []) {
    for (const spec of suite.specs ?? []) yield* spec.tests;
    yield* playwrightTests(suite.suites);
  }
}

const playwright = read('playwright.json');
if (playwright === null) {
  problems.push(`no Playwright report in ${dir}: the run stopped before the end-to-end tests`);
  notRun.push(['Electron smoke test', 'Playwright did not run']);
} else {
  passed += playwright.stats.expected;
  failed += playwright.stats.unexpected + playwright.stats.flaky;
  skipped += playwright.stats.skipped;
  if (playwright.stats.expected + playwright.stats.unexpected + playwright.stats.flaky === 0) {
    problems.push('playwright ran no test');
  }
  // The electron project is absent where the binary is missing (e2e/projects.ts says why in
  // the metadata); present but with nothing run counts as not run too.
  const ranElectron = [...playwrightTests(playwright.suites)].filter(
    (t) => t.projectName === 'electron' && t.status !== 'skipped',
  ).length;
  if (ranElectron === 0) {
    const smoke = playwright.config?.metadata?.electronSmoke;
    notRun.push([
      'Electron smoke test',
      smoke?.run === false ? smoke.reason : 'the electron project ran no test',
    ]);
  }
}

for (const problem of problems) console.error(`ci: ${problem}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
const rule = '#'.repeat(72);
for (const [what, why] of notRun) {
  console.log(['', rule, `##  NOT RUN: ${what}`, `##  why: ${why}`, rule].join('\n'));
}
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
