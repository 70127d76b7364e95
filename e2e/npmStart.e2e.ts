import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { findElectronBinary } from '../build/electronBinary.mjs';
import { DEMO_ALBUM, openDemoAlbum, parseStartOutput } from './demoJourney.js';

/**
 * `npm start` as a new user runs it (README "Run"): a clean data directory, the printed demo
 * accounts, the printed address in Chromium, sign-in and the demo album; Ctrl-C stops it, and
 * the next start keeps the data and prints no password. Here through the browser host (the
 * Electron journey is e2e/electron/smoke.electron.ts, run where the binary exists).
 */
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let home: string;
let child: ChildProcess | null = null;

/** Runs build/start.mjs until it prints where to go; returns all it printed so far. */
function start(): Promise<string> {
  const started = spawn(process.execPath, ['build/start.mjs'], {
    env: {
      ...process.env,
      WEEBUM_HOME: home,
      WEEBUM_PORT: '0',
      WEEBUM_STUDIO_PORT: '0',
      // `npm test` has just built the renderer; the journey is the same with Electron present.
      WEEBUM_START_SKIP_BUILD: '1',
      WEEBUM_START_BROWSER: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    started.stderr.on('data', (d: Buffer) => (err += d.toString()));
    started.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ctrl-C stops both/.test(out)) resolve(out);
    });
    started.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${out}\n${err}`)));
  });
}

/** What Ctrl-C does: SIGINT to `npm start`, which stops the studio, then the cloud. */
async function stop(): Promise<{ code: number | null; out: string }> {
  const running = child;
  child = null;
  if (!running || running.exitCode !== null) return { code: running?.exitCode ?? null, out: '' };
  let out = '';
  running.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    running.once('exit', resolve);
    running.kill('SIGINT');
  });
  return { code, out };
}

test.beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'weebum-npm-start-'));
});
test.afterAll(async () => {
  await stop();
  await rm(home, { recursive: true, force: true });
});

test('a first start seeds the demo, and a printed account opens the demo album', async ({
  page,
}) => {
  const out = await start();
  const electron = findElectronBinary();
  if (electron.path === null) {
    // One line says why there is no Electron window.
    expect(out).toContain(`Electron is not available (${electron.reason})`);
  }
  const printed = parseStartOutput(out);
  expect([...printed.accounts.keys()]).toEqual([
    'operator',
    'studio-admin',
    'designer',
    'school-admin',
    'school-staff',
  ]);
  for (const loginId of ['studio-admin', 'designer', 'school-admin', 'school-staff'])
    expect(printed.accounts.get(loginId)?.temporary).toBe(true);
  expect(out).toContain(`album "${DEMO_ALBUM}"`);
  expect(printed.studioUrl).not.toBeNull();
  expect(printed.cloudUrl).not.toBeNull();

  await page.goto(printed.studioUrl as string);
  const designer = printed.accounts.get('designer');
  await openDemoAlbum(
    page,
    printed.cloudUrl as string,
    'designer',
    designer?.password ?? '',
    'designer-demo-2026',
  );
  await page.screenshot({ path: 'test-results/screenshots/npm-start-demo-album.png' });

  // The school's staff see the same album (read only) with their own printed account.
  await page.getByRole('button', { name: 'サインアウト' }).click();
  const staff = printed.accounts.get('school-staff');
  await openDemoAlbum(
    page,
    printed.cloudUrl as string,
    'school-staff',
    staff?.password ?? '',
    'school-staff-demo-2026',
  );

  const stopped = await stop();
  expect(stopped.code).toBe(0);
  expect(stopped.out).toContain('Stopped.');
});

test('the next start keeps the data and prints no password', async ({ page }) => {
  const out = await start();
  const printed = parseStartOutput(out);
  expect(printed.accounts.size).toBe(0);
  expect(out).not.toContain('password');
  await page.goto(printed.studioUrl as string);
  await openDemoAlbum(page, printed.cloudUrl as string, 'designer', 'designer-demo-2026', null);
  expect((await stop()).code).toBe(0);
});
