import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../../build/electronBinary.mjs';
import { seedDemo } from '../../src-main/demo/seedDemo.js';
import { disposeCloudProcess, startCloudProcess } from '../../src-main/testing/cloudProcess.js';
import { openDemoAlbum } from '../demoJourney.js';

/**
 * The packaged app's journey in the real Electron (the `electron` Playwright project, which
 * playwright.config.ts includes only where the binary exists): launch the built app
 * (dist/main), sign in with a demo account on a fresh Weebum Cloud, open the demo album.
 */
test('Weebum Studio launches in Electron, signs in and opens an album', async () => {
  test.setTimeout(240_000);
  const binary = findElectronBinary();
  if (binary.path === null) throw new Error(`no Electron binary: ${binary.reason}`);
  const cloud = await startCloudProcess();
  const dir = await mkdtemp(join(tmpdir(), 'weebum-electron-'));
  try {
    const caFile = join(dir, 'cloud-ca.pem');
    await writeFile(caFile, cloud.ca);
    const demo = await seedDemo({ serverUrl: cloud.url, ca: cloud.ca, operator: cloud.operator });
    const designer = demo.accounts.find((a) => a.loginId === 'designer');
    const app = await electron.launch({
      executablePath: binary.path,
      // Chromium's OS sandbox cannot start as root (CI containers); the renderer stays
      // sandboxed by the app's own webPreferences either way.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.'],
      env: {
        ...process.env,
        WEEBUM_STUDIO_DATA_DIR: join(dir, 'studio'),
        WEEBUM_TRUSTED_CA: caFile,
      },
    });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toBe('weebum://app/index.html');
      // The page gets the frozen desktop API and nothing of Node.
      expect(
        await page.evaluate(() => ({
          require: typeof (window as unknown as { require?: unknown }).require,
          process: typeof (window as unknown as { process?: unknown }).process,
          frozen: Object.isFrozen((window as unknown as { weebum?: unknown }).weebum),
        })),
      ).toEqual({ require: 'undefined', process: 'undefined', frozen: true });
      await openDemoAlbum(
        page,
        cloud.url,
        'designer',
        designer?.password ?? '',
        'designer-electron-2026',
      );
      await page.screenshot({ path: 'test-results/screenshots/electron-demo-album.png' });
    } finally {
      await app.close();
    }
  } finally {
    await disposeCloudProcess(cloud);
    await rm(dir, { recursive: true, force: true });
  }
});
