import type { DesktopApi } from '../../src-shared/desktop/api.js';
import type { PhotoSummary } from '../../src-shared/desktop/contract.js';
import type { Album } from '../../src-shared/model/album.js';
import type { Page } from '../../src-shared/model/page.js';
import type { AppError } from '../../src-shared/result.js';
import { importFinished } from '../library/importRefresh.js';
import { createAutosave, type Autosave } from './autosave.js';
import { createEditorStore, type EditorStore, type PhotoInfo } from './editorStore.js';

export interface EditorSession {
  readonly store: EditorStore;
  readonly autosave: Autosave;
}

const photoInfos = (photos: readonly PhotoSummary[], withThumbnail = false) => {
  const infos: Record<string, PhotoInfo> = {};
  for (const p of photos) {
    if (withThumbnail && !p.thumbnailUrl) continue;
    infos[p.id] = { widthPx: p.width, heightPx: p.height, thumbnailUrl: p.thumbnailUrl };
  }
  return infos;
};

/**
 * The pages after a reload of the pages `named`: each named page as `listed` has it (gone if it
 * is not there), except one edited while the reload ran, which keeps the editor's copy (its
 * save follows; sync merges); every other page stays as the editor has it.
 */
export function reloadedPages(input: {
  readonly local: Readonly<Record<string, Page>>;
  readonly listed: readonly Page[];
  readonly named: ReadonlySet<string>;
  readonly editedMeanwhile: (pageId: string) => boolean;
}): Page[] {
  const { local, named } = input;
  const kept = Object.values(local).filter((p) => !named.has(p.id));
  const fresh = input.listed
    .filter((p) => named.has(p.id))
    .map((p) => (input.editedMeanwhile(p.id) ? (local[p.id] ?? p) : p));
  return [...kept, ...fresh];
}

/**
 * One open album's editor on the desktop API: its pages read into a new editor store, local
 * changes saved by autosave, pages reloaded when `pages.changed` names them, and the photos'
 * sizes and thumbnails read when the editor opens, when an import batch ends, when sync
 * changes them, and when a photo dropped from the library has no thumbnail yet.
 * `onOpen` gets the session once the pages are in; `close` stops listening and saves.
 */
export function openEditorSession(input: {
  readonly api: DesktopApi;
  readonly album: Album;
  readonly onOpen: (session: EditorSession) => void;
  readonly onError: (error: AppError) => void;
}): { readonly flush: () => Promise<void>; readonly close: () => void } {
  const { api, album } = input;
  let live = true;
  let store: EditorStore | null = null;
  let offThumbnails: () => void = () => undefined;
  const autosave = createAutosave({
    read: (pageId) => store?.getState().pages[pageId],
    save: (page: Page) => api['pages.save']({ albumId: album.id, page }),
    onError: (e) => store?.getState().setSaveError(e),
  });

  const loadPhotos = async () => {
    const result = await api['photos.list']({ albumId: album.id });
    if (!live || !result.ok || !store) return;
    store.getState().setPhotos(photoInfos(result.value));
  };

  // Photos placed by drop that the editor has no thumbnail for yet: ask the library again.
  const askForThumbnails = (opened: EditorStore) => {
    const asked = new Set<string>();
    return opened.subscribe((state) => {
      const missing = Object.entries(state.photos)
        .filter(([id, p]) => p.thumbnailUrl === null && !asked.has(id))
        .map(([id]) => id);
      if (missing.length === 0) return;
      for (const id of missing) asked.add(id);
      void api['photos.list']({ albumId: album.id }).then((result) => {
        if (!live || !result.ok) return;
        const photos = photoInfos(result.value, true);
        if (Object.keys(photos).length > 0) opened.getState().setPhotos(photos);
      });
    });
  };

  void (async () => {
    const pages = await api['pages.list']({ albumId: album.id });
    if (!live) return;
    if (!pages.ok) {
      input.onError(pages.error);
      return;
    }
    const opened = createEditorStore({
      album,
      pages: pages.value,
      onLocalChange: autosave.schedule,
    });
    store = opened;
    offThumbnails = askForThumbnails(opened);
    input.onOpen({ store: opened, autosave });
    await loadPhotos();
  })();

  const reload = async (pageIds: readonly string[]) => {
    const opened = store;
    if (!opened) return;
    const editsBefore = opened.getState().localEdits;
    await autosave.flush();
    const listed = await api['pages.list']({ albumId: album.id });
    if (!live || !listed.ok) return;
    const pending = autosave.pendingPages();
    const { localEdits: edits, pages: local } = opened.getState();
    opened.getState().applyRemote(
      reloadedPages({
        local,
        listed: listed.value,
        named: new Set(pageIds),
        editedMeanwhile: (id) => pending.has(id) || edits[id] !== editsBefore[id],
      }),
    );
  };

  const offPages = api.on('pages.changed', (change) => {
    if (change.albumId === album.id) void reload(change.pageIds);
  });
  // Imported photos are not on any page yet: the editor needs them once the batch is in.
  const offImport = api.on('import.progress', (progress) => {
    if (progress.albumId === album.id && importFinished(progress)) void loadPhotos();
  });
  // Photos other computers uploaded, as sync records them: their frames stop being grey.
  const offSynced = api.on('photos.changed', (change) => {
    if (change.albumId === album.id) void loadPhotos();
  });

  return {
    flush: autosave.flush,
    close() {
      live = false;
      offPages();
      offImport();
      offSynced();
      offThumbnails();
      // Closing the album saves what is waiting.
      void autosave.flush();
    },
  };
}
