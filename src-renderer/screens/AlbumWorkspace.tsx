import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MethodResult, PhotoSummary } from '../../src-shared/desktop/contract.js';
import type { Page } from '../../src-shared/model/page.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ConflictsPanel } from '../conflicts/ConflictsPanel.js';
import { AlbumEditor, type EditorFocus } from '../editor/AlbumEditor.js';
import { useEditorValue } from '../editor/editorContext.js';
import type { EditorStore } from '../editor/editorStore.js';
import { useT } from '../i18n/i18nStore.js';
import { LibraryPanel } from '../library/LibraryPanel.js';
import { useNavigation } from '../stores/navigationStore.js';
import { useApi } from '../stores/sessionStore.js';
import { PrintPanel } from '../preflight/PrintPanel.js';
import { SpreadStrip } from '../strip/SpreadStrip.js';

type Album = MethodResult<'albums.open'>;
interface Loaded {
  readonly album: Album;
  /** In album order. */
  readonly pages: readonly Page[];
}

const inOrder = (pages: readonly Page[]) => [...pages].sort((a, b) => a.index - b.index);

/**
 * The album workspace: the spread strip (pages added, deleted, reordered), the page editor
 * (src-renderer/editor: toolbar, canvas and properties panel), and beside it preflight and
 * export, the conflicts to walk through and the photo library. The strip, a conflict and a
 * preflight issue all bring their page (and element) into the editor.
 */
export function AlbumWorkspace({ albumId }: { readonly albumId: string }) {
  const t = useT();
  const api = useApi();
  const go = useNavigation((s) => s.go);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // The current page lives in the editor's store alone (its toolbar changes spreads too).
  const [editor, setEditor] = useState<EditorStore | null>(null);
  const activePageId = useEditorValue(editor, (s) => s.activePageId, null);
  const [focus, setFocus] = useState<EditorFocus | null>(null);
  const [photos, setPhotos] = useState<readonly PhotoSummary[]>([]);
  const [reads, setReads] = useState(0);
  const reread = useCallback(() => setReads((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    const read = async () => {
      const album = await api['albums.open']({ albumId });
      if (!album.ok) {
        if (live) setError(album.error);
        return;
      }
      const pages = await api['pages.list']({ albumId });
      if (!live) return;
      const ordered = pages.ok ? inOrder(pages.value) : [];
      setLoaded({ album: album.value, pages: ordered });
    };
    void read();
    const off = api.on('pages.changed', (change) => {
      if (change.albumId === albumId) void read();
    });
    return () => {
      live = false;
      off();
    };
  }, [api, albumId, reads]);

  const thumbnails = useMemo(
    () => new Map(photos.map((p) => [p.id, p.thumbnailUrl] as const)),
    [photos],
  );
  const thumbnailOf = useCallback((id: string) => thumbnails.get(id) ?? null, [thumbnails]);
  const fileNames = useMemo(
    () => new Map(photos.map((p) => [p.id, p.fileName] as const)),
    [photos],
  );

  if (!loaded) {
    return (
      <section className="screen">
        <button type="button" className="link" onClick={() => go({ name: 'albums' })}>
          ← {t('workspace.back')}
        </button>
        {error ? <ErrorMessage error={error} /> : <p>{t('workspace.loading')}</p>}
      </section>
    );
  }

  const { album } = loaded;
  const pages = loaded.pages.length;
  const show = (pageId: string, elementId: string | null = null) => {
    setFocus((last) => ({ pageId, elementId, seq: (last?.seq ?? 0) + 1 }));
  };
  return (
    <section className="workspace" aria-labelledby="workspace-title">
      <div className="workspace-head">
        <button type="button" className="link" onClick={() => go({ name: 'albums' })}>
          ← {t('workspace.back')}
        </button>
        <h2 id="workspace-title">{album.title}</h2>
        <span className="muted">
          {album.schoolName}・{t('albums.fiscalYear', { year: album.fiscalYear })}・
          {t(`status.${album.status}`)}
        </span>
        <p className="muted small" data-testid="album-details">
          {t('workspace.details', {
            trim: `${t(`create.trim.${album.trim.preset}`).replace(/（.*）|\s*\(.*\)/, '')} ${album.trim.widthMm}×${album.trim.heightMm} mm`,
            binding: t(`create.binding.${album.binding}`),
            pages,
            bleed: album.bleedMm,
            safe: album.safeMarginMm,
          })}
        </p>
      </div>
      <div className="workspace-body">
        <SpreadStrip
          albumId={albumId}
          pages={loaded.pages}
          binding={album.binding}
          widthMm={album.trim.widthMm}
          heightMm={album.trim.heightMm}
          activePageId={activePageId}
          thumbnailOf={thumbnailOf}
          onOpen={(pageId) => show(pageId)}
          onChanged={(next) => {
            if (next !== null) show(next);
            reread();
          }}
        />
        <AlbumEditor key={album.id} api={api} album={album} focus={focus} onStore={setEditor} />
        <aside className="workspace-side" aria-label={t('library.title')}>
          <PrintPanel album={album} onSelectIssue={show} />
          <ConflictsPanel
            albumId={albumId}
            pageNumber={(pageId) => {
              const at = loaded.pages.findIndex((p) => p.id === pageId);
              return at < 0 ? null : at + 1;
            }}
            context={(pageId) => ({
              page: loaded.pages.find((p) => p.id === pageId),
              widthMm: album.trim.widthMm,
              heightMm: album.trim.heightMm,
              photoName: (id) => fileNames.get(id) ?? null,
            })}
            onOpen={(conflict) => show(conflict.pageId, conflict.elementId)}
          />
          <LibraryPanel albumId={albumId} pages={loaded.pages} onPhotos={setPhotos} />
        </aside>
      </div>
    </section>
  );
}
