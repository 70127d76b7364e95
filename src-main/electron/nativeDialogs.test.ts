import { describe, expect, it } from 'vitest';
import { createNativeDialogs } from './nativeDialogs.js';

interface Shown {
  readonly kind: 'open' | 'save';
  readonly parent: unknown;
  readonly options: Record<string, unknown>;
}

function fakeDialog(answer: { canceled: boolean; filePaths?: string[]; filePath?: string }) {
  const shown: Shown[] = [];
  const record = (kind: 'open' | 'save', a: unknown, b: unknown) => {
    const [parent, options] = b === undefined ? [null, a] : [a, b];
    shown.push({ kind, parent, options: options as Record<string, unknown> });
  };
  const dialog = {
    showOpenDialog: (a: unknown, b?: unknown) => {
      record('open', a, b);
      return Promise.resolve({ canceled: answer.canceled, filePaths: answer.filePaths ?? [] });
    },
    showSaveDialog: (a: unknown, b?: unknown) => {
      record('save', a, b);
      return Promise.resolve({ canceled: answer.canceled, filePath: answer.filePath ?? '' });
    },
  };
  return { dialog: dialog as unknown as Parameters<typeof createNativeDialogs>[0], shown };
}

const window = { id: 1 };

describe('native dialogs', () => {
  it('chooses photos or folders, attached to the window, in the UI language', async () => {
    const { dialog, shown } = fakeDialog({ canceled: false, filePaths: ['/p/a.jpg', '/p/b.jpg'] });
    const dialogs = createNativeDialogs(
      dialog,
      () => window as never,
      () => 'ja',
    );
    expect(await dialogs.chooseImport('files')).toEqual(['/p/a.jpg', '/p/b.jpg']);
    await dialogs.chooseImport('folder');
    expect(shown[0]?.parent).toBe(window);
    expect(shown[0]?.options).toMatchObject({
      title: '写真を取り込む',
      properties: ['openFile', 'multiSelections'],
    });
    expect(shown[1]?.options).toMatchObject({ properties: ['openDirectory', 'multiSelections'] });
  });

  it('returns nothing when the user cancels', async () => {
    const { dialog } = fakeDialog({ canceled: true, filePaths: ['/ignored'], filePath: '/x.pdf' });
    const dialogs = createNativeDialogs(
      dialog,
      () => null,
      () => 'en',
    );
    expect(await dialogs.chooseImport('files')).toEqual([]);
    expect(await dialogs.chooseExportFile('album.pdf')).toBeNull();
  });

  it('suggests only a file name for the export, never a path from the renderer', async () => {
    const { dialog, shown } = fakeDialog({ canceled: false, filePath: '/home/u/album.pdf' });
    const dialogs = createNativeDialogs(
      dialog,
      () => null,
      () => 'en',
    );
    expect(await dialogs.chooseExportFile('../../etc/album.pdf')).toBe('/home/u/album.pdf');
    expect(shown[0]?.options).toMatchObject({
      title: 'Export to',
      defaultPath: '.._.._etc_album.pdf',
    });
  });
});
