import type { MenuItemConstructorOptions } from 'electron';

export type MenuLanguage = 'ja' | 'en';

/**
 * The application menu's labels. Menus are drawn by the OS from the main process, which cannot
 * import the renderer's catalogs (module boundary), so their few words live here.
 */
const LABELS = {
  ja: {
    file: 'ファイル',
    edit: '編集',
    view: '表示',
    window: 'ウィンドウ',
    help: 'ヘルプ',
    about: 'Weebum Studio について',
    quit: 'Weebum Studio を終了',
    close: 'ウィンドウを閉じる',
    undo: '元に戻す',
    redo: 'やり直す',
    cut: '切り取り',
    copy: 'コピー',
    paste: '貼り付け',
    selectAll: 'すべてを選択',
    reload: '再読み込み',
    zoomIn: '拡大',
    zoomOut: '縮小',
    resetZoom: '実際のサイズ',
    fullScreen: 'フルスクリーン',
    minimize: 'しまう',
    checkUpdates: 'アップデートを確認…',
    helpSite: 'Weebum ヘルプ',
  },
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About Weebum Studio',
    quit: 'Quit Weebum Studio',
    close: 'Close Window',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    reload: 'Reload',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    resetZoom: 'Actual Size',
    fullScreen: 'Toggle Full Screen',
    minimize: 'Minimize',
    checkUpdates: 'Check for Updates…',
    helpSite: 'Weebum Help',
  },
} as const;

/** Japanese unless the system prefers English (the app's default language is Japanese). */
export const menuLanguageFor = (locale: string): MenuLanguage =>
  locale.toLowerCase().startsWith('en') ? 'en' : 'ja';

export interface MenuActions {
  readonly checkForUpdates: () => void;
  readonly openHelp: () => void;
}

/**
 * The menu with the usual shortcuts (roles give each platform's accelerators). No developer
 * tools entry: a packaged app does not open them.
 */
export function menuTemplate(
  language: MenuLanguage,
  platform: NodeJS.Platform,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const t = LABELS[language];
  const mac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions = {
    label: 'Weebum Studio',
    submenu: [
      { role: 'about', label: t.about },
      { label: t.checkUpdates, click: actions.checkForUpdates },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit', label: t.quit },
    ],
  };
  return [
    ...(mac ? [appMenu] : []),
    {
      label: t.file,
      submenu: [
        { role: 'close', label: t.close },
        ...(mac ? [] : [{ role: 'quit' as const, label: t.quit }]),
      ],
    },
    {
      label: t.edit,
      submenu: [
        { role: 'undo', label: t.undo },
        { role: 'redo', label: t.redo },
        { type: 'separator' },
        { role: 'cut', label: t.cut },
        { role: 'copy', label: t.copy },
        { role: 'paste', label: t.paste },
        { role: 'selectAll', label: t.selectAll },
      ],
    },
    {
      label: t.view,
      submenu: [
        { role: 'reload', label: t.reload },
        { type: 'separator' },
        { role: 'resetZoom', label: t.resetZoom },
        { role: 'zoomIn', label: t.zoomIn },
        { role: 'zoomOut', label: t.zoomOut },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t.fullScreen },
      ],
    },
    { label: t.window, submenu: [{ role: 'minimize', label: t.minimize }] },
    {
      label: t.help,
      submenu: [
        { label: t.helpSite, click: actions.openHelp },
        ...(mac ? [] : [{ label: t.checkUpdates, click: actions.checkForUpdates }]),
      ],
    },
  ];
}
