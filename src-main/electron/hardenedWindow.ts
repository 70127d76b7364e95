import type { BrowserWindowConstructorOptions, WebContents, WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './appOrigin.js';
import { decideWindowOpen, externalUrlAllowed, navigationAllowed } from './navigationPolicy.js';

/**
 * The one set of web preferences every window gets: an isolated, sandboxed renderer without
 * Node, with web security on and nothing experimental.
 */
export function hardenedWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** The parts of a BrowserWindow the factory uses (a fake in tests). */
export interface WindowLike {
  readonly webContents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

export interface MainWindowDeps {
  readonly createWindow: (options: BrowserWindowConstructorOptions) => WindowLike;
  readonly openExternal: (url: string) => Promise<void>;
  readonly log: (message: string, error?: unknown) => void;
}

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly externalAllowList: readonly string[];
  readonly title: string;
}

/**
 * Creates the app window and installs its guards before the page loads: navigation stays on
 * the app's origin, new windows are refused (allowed https links open in the browser), webviews
 * are refused, and a failing preload is logged.
 */
export function createMainWindow(deps: MainWindowDeps, options: MainWindowOptions): WindowLike {
  const window = deps.createWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: options.title,
    webPreferences: hardenedWebPreferences(options.preloadPath),
  });
  const contents = window.webContents;
  const openExternal = (url: string) => {
    if (!externalUrlAllowed(url, options.externalAllowList)) return;
    deps.openExternal(url).catch((error: unknown) => deps.log('openExternal failed', error));
  };
  const refuseNavigation = (event: { preventDefault(): void; url: string }) => {
    if (navigationAllowed(event.url)) return;
    event.preventDefault();
    // Only the scheme: a URL can carry tokens.
    deps.log(`navigation refused (${event.url.split(':')[0] ?? ''})`);
    openExternal(event.url);
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, options.externalAllowList);
    if (decision.openExternally) openExternal(url);
    return { action: decision.action };
  });
  contents.on('preload-error', (_event, preloadPath, error) =>
    deps.log(`preload failed: ${preloadPath}`, error),
  );
  window.once('ready-to-show', () => window.show());
  window
    .loadURL(APP_ENTRY_URL)
    .catch((error: unknown) => deps.log('loading the app failed', error));
  return window;
}
