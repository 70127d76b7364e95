import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCredentialStore } from '../services/credentials/memoryCredentialStore.js';
import { APP_ENTRY_URL } from './appOrigin.js';
import { startElectronApp } from './electronApp.js';
import { hardenedWebPreferences } from './hardenedWindow.js';
import { IPC_CALL } from './ipcChannels.js';
import { FakeBrowserWindow, FakeIpcMain, IpcSender } from './testing/fakeElectron.js';

/** The Electron objects the composition root touches, recording what it did. */
function fakeElectron(options: { lock: boolean; dataDir: string }) {
  const calls: string[] = [];
  const handlers = new Map<string, (request: Request) => Promise<Response>>();
  const windows: FakeBrowserWindow[] = [];
  const menus: unknown[] = [];
  let quits = 0;
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => options.lock,
    quit: () => void quits++,
    exit: () => calls.push('exit'),
    whenReady: () => Promise.resolve(),
    getPath: () => options.dataDir,
    getLocale: () => 'ja-JP',
  });
  const permissions = () => calls.push('permission handler');
  const ipcMain = new FakeIpcMain();
  const electron = {
    app,
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) =>
        calls.push(`privileged ${schemes.map((s) => s.scheme).join(',')}`),
    },
    session: {
      defaultSession: {
        protocol: {
          handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
            void handlers.set(scheme, handler),
        },
        setPermissionRequestHandler: permissions,
        setPermissionCheckHandler: permissions,
        setDevicePermissionHandler: permissions,
      },
    },
    ipcMain,
    BrowserWindow: class extends FakeBrowserWindow {
      constructor(o: Record<string, unknown>) {
        super(o);
        windows.push(this);
      }
    },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => void menus.push(menu),
    },
    dialog: { showErrorBox: (_t: string, message: string) => calls.push(`error ${message}`) },
    shell: { openExternal: () => Promise.resolve() },
  };
  return {
    electron: electron as unknown as Parameters<typeof startElectronApp>[0],
    app,
    ipcMain,
    calls,
    handlers,
    windows,
    menus,
    quits: () => quits,
  };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weebum-electron-app-'));
  await mkdir(join(root, 'renderer'), { recursive: true });
  await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><title>app</title>');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = (dataDir: string) => ({
  rendererDir: join(root, 'renderer'),
  fontsDir: join(root, 'fonts'),
  preloadPath: '/app/preload.cjs',
  importWorkers: { entry: new URL('../services/import/importWorker.ts', import.meta.url), size: 1 },
  credentials: createMemoryCredentialStore({
    persistent: false,
    reason: 'no_keychain',
    message: 'test',
    detail: 'test',
  }),
  dataDir,
  updateFeedUrl: 'https://updates.example/studio/',
});

describe('the Electron composition root', () => {
  it('quits at once when another instance holds the lock', async () => {
    const fake = fakeElectron({ lock: false, dataDir: join(root, 'second') });
    await startElectronApp(fake.electron, null, config(join(root, 'second')));
    expect(fake.quits()).toBe(1);
    expect(fake.calls).toEqual([]);
    expect(fake.windows).toEqual([]);
  });

  it('wires the schemes, permissions, IPC, window, menu and updater, and closes in order', async () => {
    const dataDir = join(root, 'data');
    const fake = fakeElectron({ lock: true, dataDir });
    const feeds: unknown[] = [];
    const updater = Object.assign(new EventEmitter(), {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      setFeedURL: (feed: unknown) => void feeds.push(feed),
      checkForUpdates: () => Promise.resolve(null),
      quitAndInstall: () => undefined,
    });
    await startElectronApp(fake.electron, updater, config(dataDir));

    expect(fake.calls).toContain('privileged weebum,weebum-media');
    expect(fake.calls.filter((c) => c === 'permission handler')).toHaveLength(3);
    expect([...fake.handlers.keys()].sort()).toEqual(['weebum', 'weebum-media']);
    const page = await fake.handlers.get('weebum')?.(new Request('weebum://app/index.html'));
    // The whole policy as the registered handler sends it, written out here.
    expect(page?.headers.get('content-security-policy')).toBe(
      "default-src 'self'; img-src 'self' data: blob: weebum-media:; style-src 'self' 'unsafe-inline'; " +
        "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'",
    );
    expect(
      (await fake.handlers.get('weebum-media')?.(new Request('weebum-media://thumbnail/x')))
        ?.status,
    ).toBe(404);

    const app = new IpcSender('weebum://app/index.html');
    await expect(fake.ipcMain.invoke(app, IPC_CALL, 'session.current', {})).resolves.toEqual({
      ok: true,
      value: null,
    });
    const evil = new IpcSender('https://evil.example/');
    await expect(fake.ipcMain.invoke(evil, IPC_CALL, 'session.current', {})).resolves.toMatchObject(
      { ok: false, error: { code: 'forbidden_sender' } },
    );

    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]?.options['webPreferences']).toStrictEqual(
      hardenedWebPreferences('/app/preload.cjs'),
    );
    expect(fake.windows[0]?.loadedUrl).toBe(APP_ENTRY_URL);
    expect((fake.menus[0] as { label: string }[]).map((m) => m.label)).toContain('ファイル');
    expect(feeds).toEqual([{ provider: 'generic', url: 'https://updates.example/studio/' }]);
    expect(existsSync(join(dataDir, 'studio.db'))).toBe(true);

    // Quitting waits for the studio to close (saves, workers), then quits for real.
    let prevented = false;
    fake.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await expect.poll(() => fake.quits()).toBe(1);
    expect(fake.ipcMain.handlers.size).toBe(0);
    // The refused call went to the app's log file.
    expect(await readFile(join(dataDir, 'logs', 'weebum-studio.log'), 'utf8')).toContain(
      'desktop API call refused',
    );
  });
});
