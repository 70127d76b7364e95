import { useEffect, useMemo, useState } from 'react';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import type { Album } from '../../src-shared/model/album.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { EditorCanvas } from './components/EditorCanvas.js';
import { createImageCache } from './components/imageCache.js';
import { PropertiesPanel } from './components/properties/PropertiesPanel.js';
import { Toolbar } from './components/Toolbar.js';
import { editorCommands } from './editorCommands.js';
import { EditorContext } from './editorContext.js';
import { openEditorSession, type EditorSession } from './editorSession.js';
import { focusPage, type EditorStore } from './editorStore.js';
import { bindShortcuts } from './shortcuts.js';
import './editor.css';

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
  const [session, setSession] = useState<EditorSession | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [imagesLoaded, redraw] = useState(0);
  const fontsReady = useFonts();
  const images = useMemo(() => createImageCache(() => redraw((n) => n + 1)), []);

  // The album's settings as opened; the editor is remade for another album (key in the workspace).
  const [albumOpened] = useState(album);

  // One store and autosave per open album; made when its pages arrive.
  useEffect(() => {
    const opened = openEditorSession({
      api,
      album: albumOpened,
      onOpen: setSession,
      onError: setError,
    });
    const flush = () => void opened.flush();
    const onHidden = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('beforeunload', flush);
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('beforeunload', flush);
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHidden);
      opened.close();
    };
  }, [api, albumOpened]);

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
