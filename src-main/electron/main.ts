// Electron's main entry (bundled to dist/main/electron-main.js, package.json "main").
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import electronUpdater from 'electron-updater';
import { startElectronApp } from './electronApp.js';

/** The release feed (electron-builder.yml `publish`); WEEBUM_UPDATE_URL points elsewhere. */
const DEFAULT_UPDATE_FEED = 'https://updates.weebum.jp/studio/';

const at = (file: string) => new URL(file, import.meta.url);
const env = process.env;
void startElectronApp(electron, electron.app.isPackaged ? electronUpdater.autoUpdater : null, {
  rendererDir: fileURLToPath(at('../renderer/')),
  preloadPath: fileURLToPath(at('preload.cjs')),
  fontsDir: fileURLToPath(at('../../assets/fonts/')),
  importWorkers: { entry: at('import-worker.js') },
  updateFeedUrl: env['WEEBUM_UPDATE_URL'] ?? DEFAULT_UPDATE_FEED,
  ...(env['WEEBUM_STUDIO_DATA_DIR'] ? { dataDir: env['WEEBUM_STUDIO_DATA_DIR'] } : {}),
  ...(env['WEEBUM_TRUSTED_CA'] ? { trustedCaFile: env['WEEBUM_TRUSTED_CA'] } : {}),
});
