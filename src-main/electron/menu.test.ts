import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuLanguageFor, menuTemplate } from './menu.js';

const actions = { checkForUpdates: () => undefined, openHelp: () => undefined };
const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);

describe('the application menu', () => {
  it('is Japanese by default and English for an English system', () => {
    expect(menuLanguageFor('ja-JP')).toBe('ja');
    expect(menuLanguageFor('fr-FR')).toBe('ja');
    expect(menuLanguageFor('en-US')).toBe('en');
    expect(menuTemplate('ja', 'linux', actions).map((m) => m.label)).toEqual([
      'ファイル',
      '編集',
      '表示',
      'ウィンドウ',
      'ヘルプ',
    ]);
    expect(menuTemplate('en', 'linux', actions).map((m) => m.label)).toEqual([
      'File',
      'Edit',
      'View',
      'Window',
      'Help',
    ]);
  });

  it('has the usual shortcuts through roles, and the app menu on macOS', () => {
    const roles = flatten(menuTemplate('ja', 'darwin', actions)).map((item) => item.role);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'quit', 'close'])
      expect(roles).toContain(role);
    expect(menuTemplate('ja', 'darwin', actions)[0]?.label).toBe('Weebum Studio');
    expect(roles).not.toContain('toggleDevTools');
  });

  it('runs the update check from the menu', () => {
    let checks = 0;
    const items = flatten(
      menuTemplate('en', 'win32', { ...actions, checkForUpdates: () => void checks++ }),
    );
    const entry = items.find((item) => item.label === 'Check for Updates…');
    (entry?.click as () => void)();
    expect(checks).toBe(1);
  });
});
