import { join } from 'node:path';
import type * as Electron from 'electron';
import { openStudioCore } from '../services/core/openStudioCore.js';
import type { CredentialStore } from '../services/credentials/credentialStore.js';
import type { ImportWorkerPoolOptions } from '../services/import/importWorkerPool.js';
import { APP_SCHEME, MEDIA_SCHEME } from './appOrigin.js';
import { createMainWindow, type WindowLike } from './hardenedWindow.js';
import { registerDesktopIpc } from './ipcBridge.js';
import { createNativeDialogs } from './nativeDialogs.js';
import { menuLanguageFor, menuTemplate } from './menu.js';
import { EXTERNAL_ALLOW_LIST } from './navigationPolicy.js';
import { denyAllPermissions } from './permissions.js';
import { appProtocolHandler, mediaProtocolHandler, mediaThumbnailUrl } from './protocols.js';
import { createRotatingLog } from './rotatingLog.js';
import { startUpdater, type UpdaterLike } from './updater.js';

export interface ElectronAppConfig {
  /** The built renderer (dist/renderer inside the package). */
  readonly rendererDir: string;
  readonly preloadPath: string;
  /** The IPAex fonts the PDF export embeds (assets/fonts, packaged beside dist). */
  readonly fontsDir: string;
  /** The bundle's own worker entry (dist/main/import-worker.js). */
  readonly importWorkers: ImportWorkerPoolOptions;
  /** Tests pass a memory store; the app probes the OS keychain. */
  readonly credentials?: CredentialStore;
  /** Default: Electron's userData directory. */
  readonly dataDir?: string;
  readonly trustedCaFile?: string;
  /** The generic update feed; no updates when absent (development). */
  readonly updateFeedUrl?: string;
}

type ElectronModule = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'Menu' | 'dialog' | 'ipcMain' | 'protocol' | 'session' | 'shell'
>;

/**
 * The Electron composition root: single instance, privileged schemes, the studio core, IPC,
 * the hardened window, menu and updater. `electron` and the updater are passed in. Resolves
 * once the window is created (or the app gave up).
 */
export async function startElectronApp(
  electron: ElectronModule,
  updater: UpdaterLike | null,
  config: ElectronAppConfig,
): Promise<void> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Before `ready`: our schemes behave like https (origin, fetch, CSP) but only we serve them.
  electron.protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true } },
  ]);
  let window: WindowLike | null = null;
  app.on('second-instance', () => {
    const focused = window as unknown as Electron.BrowserWindow | null;
    if (focused?.isMinimized()) focused.restore();
    focused?.focus();
  });

  await app.whenReady().then(async () => {
    const dataDir = config.dataDir ?? app.getPath('userData');
    const log = createRotatingLog({
      file: join(dataDir, 'logs', 'weebum-studio.log'),
      maxBytes: 5 * 1024 * 1024,
      keep: 5,
      now: () => new Date(),
    });
    try {
      const studio = await openStudioCore({
        dataDir,
        ...(config.trustedCaFile ? { trustedCaFile: config.trustedCaFile } : {}),
        thumbnailUrl: mediaThumbnailUrl,
        importWorkers: config.importWorkers,
        fontsDir: config.fontsDir,
        ...(config.credentials ? { credentials: config.credentials } : {}),
        dialogs: createNativeDialogs(
          electron.dialog,
          () => window as unknown as Electron.BaseWindow | null,
          () => menuLanguageFor(app.getLocale()),
        ),
        log,
      });
      const defaultSession = electron.session.defaultSession;
      denyAllPermissions(defaultSession, log);
      defaultSession.protocol.handle(APP_SCHEME, appProtocolHandler(config.rendererDir));
      defaultSession.protocol.handle(
        MEDIA_SCHEME,
        mediaProtocolHandler({
          mediaDir: studio.thumbnailsDir,
          thumbnailFile: (photoId) => studio.core.thumbnailFile(photoId),
        }),
      );
      const stopIpc = registerDesktopIpc({
        ipcMain: electron.ipcMain,
        handlers: studio.core.handlers,
        events: studio.events,
        log,
      });
      const updates =
        updater && config.updateFeedUrl
          ? startUpdater({
              updater,
              feedUrl: config.updateFeedUrl,
              askToRestart: async (version) => {
                const ja = menuLanguageFor(app.getLocale()) === 'ja';
                const answer = await electron.dialog.showMessageBox({
                  type: 'info',
                  buttons: ja ? ['今すぐ再起動', 'あとで'] : ['Restart now', 'Later'],
                  defaultId: 0,
                  cancelId: 1,
                  message: ja
                    ? `Weebum Studio ${version} の準備ができました。再起動して更新しますか？`
                    : `Weebum Studio ${version} is ready. Restart to update?`,
                });
                return answer.response === 0;
              },
              setInterval: (fn, ms) => setInterval(fn, ms),
              clearInterval: (timer) => clearInterval(timer as NodeJS.Timeout),
              log,
            })
          : null;
      const openExternal = (url: string) => electron.shell.openExternal(url);
      electron.Menu.setApplicationMenu(
        electron.Menu.buildFromTemplate(
          menuTemplate(menuLanguageFor(app.getLocale()), process.platform, {
            checkForUpdates: () => updates?.checkNow(),
            openHelp: () => void openExternal('https://weebum.jp/help').catch(() => undefined),
          }),
        ),
      );
      window = createMainWindow(
        {
          createWindow: (options) => new electron.BrowserWindow(options),
          openExternal,
          log,
        },
        {
          preloadPath: config.preloadPath,
          externalAllowList: EXTERNAL_ALLOW_LIST,
          title: 'Weebum Studio',
        },
      );
      let closing = false;
      app.on('before-quit', (event) => {
        if (closing) return;
        // Stop sync and the workers first: a pending save finishes before the process ends.
        event.preventDefault();
        closing = true;
        updates?.stop();
        stopIpc();
        void studio
          .close()
          .catch((error: unknown) => log('closing the studio failed', error))
          .finally(() => app.quit());
      });
      app.on('window-all-closed', () => app.quit());
    } catch (error) {
      log('Weebum Studio could not start', error);
      electron.dialog.showErrorBox(
        'Weebum Studio',
        `起動できませんでした / Could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      app.exit(1);
    }
  });
}
