import { useEffect, useState } from 'react';
import { can } from '../../src-shared/auth/roles.js';
import type { AlbumSummary } from '../../src-shared/desktop/contract.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { useAlbums } from '../stores/albumsStore.js';
import { useNavigation } from '../stores/navigationStore.js';
import { useApi, useSession } from '../stores/sessionStore.js';
import { useSync } from '../stores/syncStore.js';
import { CreateAlbumForm } from './CreateAlbumForm.js';

function SyncCell({ album }: { readonly album: AlbumSummary }) {
  const t = useT();
  if (album.conflicts > 0) {
    return <span className="badge warn">{t('albums.conflicts', { count: album.conflicts })}</span>;
  }
  if (album.pendingChanges > 0) {
    return (
      <span className="badge pending">{t('albums.pending', { count: album.pendingChanges })}</span>
    );
  }
  return <span className="badge ok">{t('albums.synced')}</span>;
}

/** The albums this account can see, with status and what is not yet synced; create one. */
export function AlbumsScreen() {
  const t = useT();
  const api = useApi();
  const role = useSession((s) => s.session?.role);
  const { albums, error, load } = useAlbums();
  const go = useNavigation((s) => s.go);
  const syncState = useSync((s) => s.state);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const mayCreate = can(role, 'album.create');

  // Reload when sync reports progress: pending counts and albums from the server change.
  const syncKey = `${syncState?.pending ?? 0}/${syncState?.lastSyncedAt ?? ''}`;
  useEffect(() => {
    void load(api);
  }, [api, load, syncKey]);
  // Albums shared with this account, or access lost, arrive through sync.
  useEffect(() => api.on('albums.changed', () => void load(api)), [api, load]);

  if (!can(role, 'album.read')) {
    return (
      <section className="screen">
        <h2>{t('albums.title')}</h2>
        <p>{t('albums.noAccess')}</p>
      </section>
    );
  }

  return (
    <section className="screen" aria-labelledby="albums-title">
      <div className="screen-head">
        <h2 id="albums-title">{t('albums.title')}</h2>
        {mayCreate && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('albums.create')}
          </button>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {creating && (
        <CreateAlbumForm
          onCancel={() => setCreating(false)}
          onDone={(title) => {
            setCreating(false);
            setNotice(t('create.created', { title }));
          }}
        />
      )}
      <ErrorMessage error={error} />
      {albums.length === 0 ? (
        <p className="empty">{t('albums.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('albums.col.title')}</th>
              <th scope="col">{t('albums.col.school')}</th>
              <th scope="col">{t('albums.col.fiscalYear')}</th>
              <th scope="col">{t('albums.col.status')}</th>
              <th scope="col">{t('albums.col.pages')}</th>
              <th scope="col">{t('albums.col.sync')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('albums.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {albums.map((album) => (
              <tr key={album.id}>
                <td className="strong">{album.title}</td>
                <td>{album.schoolName}</td>
                <td>{t('albums.fiscalYear', { year: album.fiscalYear })}</td>
                <td>{t(`status.${album.status}`)}</td>
                <td className="num">{album.pageCount}</td>
                <td>
                  <SyncCell album={album} />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`${t('albums.open')}: ${album.title}`}
                    onClick={() => go({ name: 'album', albumId: album.id })}
                  >
                    {t('albums.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
