import { useEffect, useState } from 'react';
import type { MethodResult } from '../../src-shared/desktop/contract.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { AlbumEditor } from '../editor/AlbumEditor.js';
import { useT } from '../i18n/i18nStore.js';
import { useNavigation } from '../stores/navigationStore.js';
import { useApi } from '../stores/sessionStore.js';
import { SpreadStrip } from './SpreadStrip.js';

type Album = MethodResult<'albums.open'>;
interface Loaded {
  readonly album: Album;
  readonly pageCount: number;
}

/**
 * The album workspace shell: the spread strip, the album's settings and the page editor
 * (src-renderer/editor: toolbar, canvas and properties panel).
 */
export function AlbumWorkspace({ albumId }: { readonly albumId: string }) {
  const t = useT();
  const api = useApi();
  const go = useNavigation((s) => s.go);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<AppError | null>(null);

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
      setLoaded({ album: album.value, pageCount: pages.ok ? pages.value.length : 0 });
    };
    void read();
    const off = api.on('pages.changed', (change) => {
      if (change.albumId === albumId) void read();
    });
    return () => {
      live = false;
      off();
    };
  }, [api, albumId]);

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

  const { album, pageCount } = loaded;
  const pages = pageCount > 0 ? pageCount : album.pageCount;
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
          pageCount={pages}
          binding={album.binding}
          widthMm={album.trim.widthMm}
          heightMm={album.trim.heightMm}
        />
        <AlbumEditor key={album.id} api={api} album={album} />
      </div>
    </section>
  );
}
