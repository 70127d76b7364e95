import { useEffect, useMemo, useState } from 'react';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import type { Album } from '../../src-shared/model/album.js';
import type { Page } from '../../src-shared/model/page.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { createAutosave, type Autosave } from './autosave.js';
import { EditorCanvas } from './components/EditorCanvas.js';
import { createImageCache } from './components/imageCache.js';
import { PropertiesPanel } from './components/properties/PropertiesPanel.js';
import { Toolbar } from './components/Toolbar.js';
import { editorCommands } from './editorCommands.js';
import { EditorContext } from './editorContext.js';
import { createEditorStore, focusPage, type EditorStore, type PhotoInfo } from './editorStore.js';
import { bindShortcuts } from './shortcuts.js';
import './editor.css';

interface Session {
  readonly store: EditorStore;
  readonly autosave: Autosave;
}

const newId = () => crypto.randomUUID();

/** Loads the fonts the PDF export embeds, so the canvas measures and draws with them. */
function useFonts(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void Promise.all([
      document.fonts.load('16px IPAexGothic'),
      document.fonts.load('16px IPAexMincho'),
    ])
      .catch(() => undefined)
      .then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  return ready;
}

/** A page (and element) to bring into view; `seq` makes the same target count again. */
export interface EditorFocus {
  readonly pageId: string;
  readonly elementId: string | null;
  readonly seq: number;
}

/**
 * The page editor for one open album: its own editor store and autosave, the toolbar, the
 * canvas and the properties panel. Every local change is saved through `pages.save` within
 * a second; pages changed by sync are applied without touching the undo stack.
 */
export function AlbumEditor({
  api,
  album,
  focus = null,
  onStore,
}: {
  readonly api: DesktopApi;
  readonly album: Album;
  readonly focus?: EditorFocus | null;
  /** The editor's store once it has the pages (null when closed), for the page strip. */
  readonly onStore?: (store: EditorStore | null) => void;
}) {
  const t = useT();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [imagesLoaded, redraw] = useState(0);
  const fontsReady = useFonts();
  const images = useMemo(() => createImageCache(() => redraw((n) => n + 1)), []);

  // The album's settings as opened; the editor is remade for another album (key in the workspace).
  const [opened] = useState(album);
  const albumId = opened.id;

  // One store and autosave per open album; made when its pages arrive.
  useEffect(() => {
    const album = opened;
    let live = true;
    let made: Session | null = null;
    const storeRef: { current: EditorStore | null } = { current: null };
    const autosave = createAutosave({
      read: (pageId) => storeRef.current?.getState().pages[pageId],
      save: (page: Page) => api['pages.save']({ albumId: album.id, page }),
      onError: (e) => storeRef.current?.getState().setSaveError(e),
    });
    const loadPhotos = async () => {
      const result = await api['photos.list']({ albumId: album.id });
      if (!live || !result.ok || !storeRef.current) return;
      const photos: Record<string, PhotoInfo> = {};
      for (const p of result.value) {
        photos[p.id] = { widthPx: p.width, heightPx: p.height, thumbnailUrl: p.thumbnailUrl };
      }
      storeRef.current.getState().setPhotos(photos);
    };
    void (async () => {
      const pages = await api['pages.list']({ albumId: album.id });
      if (!live) return;
      if (!pages.ok) {
        setError(pages.error);
        return;
      }
      const store = createEditorStore({
        album,
        pages: pages.value,
        onLocalChange: autosave.schedule,
      });
      storeRef.current = store;
      made = { store, autosave };
      setSession(made);
      await loadPhotos();
    })();

    const reload = async () => {
      const store = storeRef.current;
      if (!store) return;
      const editsBefore = store.getState().localEdits;
      await autosave.flush();
      const pages = await api['pages.list']({ albumId: album.id });
      if (!live || !pages.ok) return;
      // A page edited while this ran keeps the editor's copy (its save follows); sync merges.
      const pending = autosave.pendingPages();
      const edits = store.getState().localEdits;
      const local = store.getState().pages;
      store
        .getState()
        .applyRemote(
          pages.value.map((p) =>
            pending.has(p.id) || edits[p.id] !== editsBefore[p.id] ? (local[p.id] ?? p) : p,
          ),
        );
    };
    const offPages = api.on('pages.changed', (change) => {
      if (change.albumId === album.id) void reload();
    });
    const offImport = api.on('import.progress', (progress) => {
      if (progress.albumId === album.id) void loadPhotos();
    });
    // Photos other computers uploaded, as sync records them: their frames stop being grey.
    const offSynced = api.on('photos.changed', (change) => {
      if (change.albumId === album.id) void loadPhotos();
    });
    const flush = () => void autosave.flush();
    const onHidden = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('beforeunload', flush);
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      live = false;
      offPages();
      offImport();
      offSynced();
      window.removeEventListener('beforeunload', flush);
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHidden);
      // Closing the album saves what is waiting.
      void autosave.flush();
    };
  }, [api, opened]);

  // Photos placed by drop that the editor has no thumbnail for yet: ask the library again.
  useEffect(() => {
    if (!session) return;
    const asked = new Set<string>();
    return session.store.subscribe((state) => {
      const missing = Object.entries(state.photos)
        .filter(([id, p]) => p.thumbnailUrl === null && !asked.has(id))
        .map(([id]) => id);
      if (missing.length > 0) {
        for (const id of missing) asked.add(id);
        void api['photos.list']({ albumId }).then((result) => {
          if (!result.ok) return;
          const photos: Record<string, PhotoInfo> = {};
          for (const p of result.value) {
            if (p.thumbnailUrl)
              photos[p.id] = { widthPx: p.width, heightPx: p.height, thumbnailUrl: p.thumbnailUrl };
          }
          if (Object.keys(photos).length > 0) session.store.getState().setPhotos(photos);
        });
      }
    });
  }, [session, api, albumId]);

  useEffect(() => {
    if (!session || !focus) return;
    const { store } = session;
    if (focusPage(store, focus.pageId, focus.elementId)) return;
    // A page the strip just added: shown when the editor's reload brings it.
    const off = store.subscribe((state, previous) => {
      if (state.order !== previous.order && focusPage(store, focus.pageId, focus.elementId)) off();
    });
    return off;
  }, [session, focus]);

  useEffect(() => {
    if (!session || !onStore) return;
    onStore(session.store);
    return () => onStore(null);
  }, [session, onStore]);

  const commands = useMemo(
    () => (session ? editorCommands(session.store, { newId }) : null),
    [session],
  );

  useEffect(
    () => (session && commands ? bindShortcuts(window, session.store, commands) : undefined),
    [session, commands],
  );

  if (error) return <ErrorMessage error={error} />;
  if (!session || !commands) return <p className="muted">{t('workspace.loading')}</p>;
  return (
    <EditorContext.Provider value={session.store}>
      <div className="editor" data-fonts-ready={fontsReady}>
        <Toolbar commands={commands} />
        <div className="editor-main">
          <EditorCanvas
            key={fontsReady ? 'fonts' : 'fallback'}
            images={images}
            imagesLoaded={imagesLoaded}
            newId={newId}
          />
          <PropertiesPanel />
        </div>
      </div>
    </EditorContext.Provider>
  );
}
