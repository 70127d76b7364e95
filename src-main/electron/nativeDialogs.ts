import type { BaseWindow, Dialog } from 'electron';
import type { NativeDialogs } from '../services/core/desktopCore.js';

/** Photo formats the importer reads (extensions for the dialog's filter). */
const PHOTO_EXTENSIONS = ['jpg', 'jpeg', 'png', 'heic', 'heif', 'tif', 'tiff', 'webp'];

/**
 * The system's open and save dialogs, attached to the app window. Paths come only from what
 * the user picked; the renderer names nothing but the kind and a suggested file name.
 */
export function createNativeDialogs(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: () => BaseWindow | null,
  language: () => 'ja' | 'en',
): NativeDialogs {
  const ja = () => language() === 'ja';
  return {
    async chooseImport(kind) {
      const options = {
        title: ja() ? '写真を取り込む' : 'Import photos',
        properties:
          kind === 'folder'
            ? (['openDirectory', 'multiSelections'] as const)
            : (['openFile', 'multiSelections'] as const),
        filters:
          kind === 'folder'
            ? []
            : [{ name: ja() ? '写真' : 'Photos', extensions: PHOTO_EXTENSIONS }],
      };
      const parent = window();
      const result = parent
        ? await dialog.showOpenDialog(parent, { ...options, properties: [...options.properties] })
        : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
      return result.canceled ? [] : result.filePaths;
    },
    async chooseExportFile(suggestedName) {
      // Only a file name from the renderer: never a directory it could point elsewhere.
      const name = suggestedName.replace(/[/\\:*?"<>|\0]/g, '_');
      const options = {
        title: ja() ? '書き出し先' : 'Export to',
        defaultPath: name,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      };
      const parent = window();
      const result = parent
        ? await dialog.showSaveDialog(parent, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
