import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL } from './appOrigin.js';
import { createMainWindow, hardenedWebPreferences, type WindowLike } from './hardenedWindow.js';
import { FakeBrowserWindow, navigationEvent } from './testing/fakeElectron.js';

function setUp() {
  const windows: FakeBrowserWindow[] = [];
  const opened: string[] = [];
  const logged: string[] = [];
  createMainWindow(
    {
      createWindow: (options: BrowserWindowConstructorOptions) => {
        const window = new FakeBrowserWindow(options as Record<string, unknown>);
        windows.push(window);
        return window as unknown as WindowLike;
      },
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
      log: (message) => logged.push(message),
    },
    { preloadPath: '/app/preload.cjs', externalAllowList: ['weebum.jp'], title: 'Weebum Studio' },
  );
  const window = windows[0] as FakeBrowserWindow;
  return { window, contents: window.webContents, opened, logged };
}

describe('the app window', () => {
  it('has exactly the hardened web preferences', () => {
    expect(hardenedWebPreferences('/app/preload.cjs')).toStrictEqual({
      preload: '/app/preload.cjs',
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
    });
    const { window } = setUp();
    expect(window.options['webPreferences']).toStrictEqual(
      hardenedWebPreferences('/app/preload.cjs'),
    );
  });

  it('loads the app from its own protocol and shows itself when ready', () => {
    const { window } = setUp();
    expect(window.loadedUrl).toBe(APP_ENTRY_URL);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it.each([
    ['weebum://app/index.html#/albums', false],
    ['weebum://app/other.html', false],
    ['https://weebum.jp/help', true],
    ['https://evil.example/', true],
    ['weebum://app.evil.example/index.html', true],
    ['weebum://evil@app/index.html', true],
    ['file:///etc/passwd', true],
    ['http://127.0.0.1:5173/', true],
    ['weebum-media://thumbnail/abc', true],
    ['not a url', true],
  ])('navigation to %s is prevented: %s', (url, prevented) => {
    const { contents } = setUp();
    for (const name of ['will-navigate', 'will-redirect']) {
      const event = navigationEvent(url);
      contents.emit(name, event);
      expect(event.prevented).toBe(prevented);
    }
  });

  it('sends an allowed https link to the browser instead of navigating', () => {
    const { contents, opened } = setUp();
    contents.emit('will-navigate', navigationEvent('https://weebum.jp/help'));
    contents.emit('will-navigate', navigationEvent('https://evil.example/'));
    expect(opened).toEqual(['https://weebum.jp/help']);
  });

  it.each([
    ['https://weebum.jp/help', ['https://weebum.jp/help']],
    ['http://weebum.jp/help', []],
    ['https://evil.example/', []],
    ['weebum://app/index.html', []],
    ['javascript:alert(1)', []],
  ])('window.open(%s) is denied; opened externally: %j', (url, external) => {
    const { contents, opened } = setUp();
    expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    expect(opened).toEqual(external);
  });

  it('refuses webviews and logs a failing preload', () => {
    const { contents, logged } = setUp();
    const event = navigationEvent('');
    contents.emit('will-attach-webview', event);
    expect(event.prevented).toBe(true);
    contents.emit('preload-error', {}, '/app/preload.cjs', new Error('boom'));
    expect(logged).toContain('preload failed: /app/preload.cjs');
  });
});
