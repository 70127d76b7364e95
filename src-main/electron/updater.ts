/** Every 6 hours, besides the check at start. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** The parts of electron-updater's `autoUpdater` this uses (a fake in tests). */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdaterOptions {
  readonly updater: UpdaterLike;
  /** The generic feed (latest.yml and the files), e.g. served by Weebum Cloud. */
  readonly feedUrl: string;
  /** Asks the user; true restarts now, false installs at the next quit. */
  readonly askToRestart: (version: string) => Promise<boolean>;
  readonly setInterval: (fn: () => void, ms: number) => { unref?(): void };
  readonly clearInterval: (timer: unknown) => void;
  readonly log: (message: string, error?: unknown) => void;
}

/**
 * Updates from a generic feed: checks at start and every 6 hours, downloads in the background
 * (the feed's `stagingPercentage` decides who gets a release first), and asks before
 * restarting. Returns `checkNow` (the menu's entry) and `stop`.
 */
export function startUpdater(options: UpdaterOptions) {
  const { updater } = options;
  const feed = new URL(options.feedUrl);
  if (feed.protocol !== 'https:') throw new Error('The update feed must be https');
  updater.setFeedURL({ provider: 'generic', url: feed.toString() });
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  let asking = false;
  updater.on('update-downloaded', (info) => {
    if (asking) return;
    asking = true;
    options
      .askToRestart(info.version)
      .then((restart) => {
        if (restart) updater.quitAndInstall();
      })
      .catch((error: unknown) => options.log('update prompt failed', error))
      .finally(() => (asking = false));
  });
  updater.on('error', (error) => options.log('update check failed', error));
  const checkNow = () => {
    updater.checkForUpdates().catch((error: unknown) => options.log('update check failed', error));
  };
  checkNow();
  const timer = options.setInterval(checkNow, UPDATE_CHECK_INTERVAL_MS);
  timer.unref?.();
  return { checkNow, stop: () => options.clearInterval(timer) };
}
