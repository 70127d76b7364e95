import { useEffect } from 'react';
import { shortJst } from './formatTime.js';
import { errorText, useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { UploadStatus } from '../status/UploadStatus.js';
import { useSync } from '../stores/syncStore.js';

/**
 * Connection, pending changes and conflicts, from `sync.status` and the `sync.state` event;
 * upload progress per batch with pause and resume.
 */
export function StatusBar() {
  const t = useT();
  const api = useApi();
  const { state, follow } = useSync();
  useEffect(() => follow(api), [api, follow]);

  if (!state) return <footer className="status-bar" role="status" />;
  const connection =
    state.connection === 'online'
      ? t('sync.online')
      : state.connection === 'offline'
        ? t('sync.offline')
        : t('sync.signedOut');
  return (
    <footer className="status-bar" role="status" aria-live="polite">
      <span className={`dot ${state.connection}`} aria-hidden="true" />
      <span data-testid="sync-connection">{connection}</span>
      {state.syncing && <span>{t('sync.syncing')}</span>}
      <span data-testid="sync-pending">{t('sync.pending', { count: state.pending })}</span>
      <span className={state.conflicts > 0 ? 'warn-text' : undefined} data-testid="sync-conflicts">
        {t('sync.conflicts', { count: state.conflicts })}
      </span>
      {state.lastSyncedAt && (
        <span>{t('sync.lastSynced', { time: shortJst(state.lastSyncedAt) })}</span>
      )}
      {state.lastError && (
        <span className="warn-text">
          {t('sync.error', { message: errorText(t, state.lastError) })}
        </span>
      )}
      <UploadStatus />
      <button
        type="button"
        className="small-button sync-now"
        onClick={() => void api['sync.now']({})}
        disabled={state.connection === 'signed-out'}
      >
        {t('sync.now')}
      </button>
    </footer>
  );
}
