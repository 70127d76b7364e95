import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * CI's closing summary (.ci/summarize-tests.mjs) over reports the real runners wrote: Vitest
 * and Playwright run on the small suite in .ci/testing/reports, whose Playwright projects come
 * from e2e/projects.ts like the e2e suite's, once with Electron's binary and once without.
 */
const run = promisify(execFile);
const repo = new URL('..', import.meta.url).pathname;
const fixtures = join(repo, '.ci/testing/reports');
/** The parent's Vitest variables would make the child Vitest think it is a worker. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'),
);

let root: string;
const withBinary = () => join(root, 'with-binary');
const withoutBinary = () => join(root, 'without-binary');
const noPlaywright = () => join(root, 'no-playwright');

async function playwright(reportDir: string, electron: Record<string, string>): Promise<void> {
  await run(
    process.execPath,
    [
      join(repo, 'node_modules/@playwright/test/cli.js'),
      'test',
      '--config',
      join(fixtures, 'playwright.config.ts'),
    ],
    { cwd: repo, env: { ...env, REPORT_DIR: reportDir, ...electron } },
  );
}

/** The summary's output and exit code for the reports in `dir`. */
async function summarize(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['.ci/summarize-tests.mjs', dir], {
      cwd: repo,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weebum-ci-summary-'));
  const vitestDir = join(root, 'vitest');
  await run(
    process.execPath,
    [
      join(repo, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      join(fixtures, 'vitest.config.ts'),
    ],
    { cwd: repo, env: { ...env, REPORT_DIR: vitestDir } },
  );
  await playwright(withBinary(), { ELECTRON_BINARY: '/opt/electron/electron' });
  await playwright(withoutBinary(), {
    ELECTRON_MISSING_REASON: 'its binary was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD',
  });
  await mkdir(noPlaywright(), { recursive: true });
  for (const dir of [withBinary(), withoutBinary(), noPlaywright()]) {
    await copyFile(join(vitestDir, 'vitest.json'), join(dir, 'vitest.json'));
  }
}, 180_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("CI's closing summary", () => {
  it('says NOT RUN for the Electron smoke test, with the reason, in a box at the end', async () => {
    const summary = await summarize(withoutBinary());
    expect(summary.stdout).toBe(
      [
        'Tests: 2 passed, 0 failed, 0 skipped',
        '',
        '#'.repeat(72),
        '##  NOT RUN: Electron smoke test',
        '##  why: its binary was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD',
        '#'.repeat(72),
        '',
      ].join('\n'),
    );
    // Not a failure: the browser host runs the same journey; the box makes the gap visible.
    expect(summary.code).toBe(0);
  });

  it('counts the smoke test with the others where Electron ran, and shows no box', async () => {
    const summary = await summarize(withBinary());
    expect(summary.stdout).toBe('Tests: 3 passed, 0 failed, 0 skipped\n');
    expect(summary.code).toBe(0);
  });

  it('still closes with the box, and fails, when the run stopped before Playwright', async () => {
    const summary = await summarize(noPlaywright());
    expect(summary.stderr).toBe(
      `ci: no Playwright report in ${noPlaywright()}: the run stopped before the end-to-end tests\n`,
    );
    expect(summary.stdout).toBe(
      [
        'Tests: 1 passed, 0 failed, 0 skipped',
        '',
        '#'.repeat(72),
        '##  NOT RUN: Electron smoke test',
        '##  why: Playwright did not run',
        '#'.repeat(72),
        '',
      ].join('\n'),
    );
    expect(summary.code).toBe(1);
  });
});
