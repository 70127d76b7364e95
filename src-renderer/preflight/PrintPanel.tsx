import { useEffect, useState } from 'react';
import type { Album } from '../../src-shared/model/album.js';
import {
  DEFAULT_SIGNATURE,
  preflightAlbum,
  summarize,
  type PreflightIssue,
} from '../../src-shared/preflight/preflight.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { ExportDialog } from './ExportDialog.js';
import { PreflightPanel } from './PreflightPanel.js';

const SIGNATURES = [2, 4, 8, 16] as const;

/**
 * Preflight and export for the workspace: runs the pure preflight rules over the album's pages
 * and photos as they are now (again whenever pages change), lists the issues and opens the
 * export dialog with their summary.
 */
export function PrintPanel({
  album,
  onSelectIssue,
}: {
  readonly album: Album;
  readonly onSelectIssue: (pageId: string, elementId: string | null) => void;
}) {
  const t = useT();
  const api = useApi();
  const [signature, setSignature] = useState(DEFAULT_SIGNATURE);
  const [result, setResult] = useState<{ issues: PreflightIssue[]; pageCount: number } | null>(
    null,
  );
  const [exporting, setExporting] = useState(false);
  // Edits in the editor are saved without an event: the designer asks for a fresh check.
  const [checks, setChecks] = useState(0);

  useEffect(() => {
    let live = true;
    const check = async () => {
      const [pages, photos] = await Promise.all([
        api['pages.list']({ albumId: album.id }),
        api['photos.list']({ albumId: album.id }),
      ]);
      if (!live || !pages.ok || !photos.ok) return;
      const byId = new Map(photos.value.map((p) => [p.id, p]));
      const issues = preflightAlbum(album, pages.value, (id) => byId.get(id) ?? null, {
        signature,
      });
      setResult({ issues, pageCount: pages.value.length });
    };
    void check();
    const off = api.on('pages.changed', (change) => {
      if (change.albumId === album.id) void check();
    });
    // Photos another computer uploaded arrive with sync: missing ones may be there now.
    const offPhotos = api.on('photos.changed', (change) => {
      if (change.albumId === album.id) void check();
    });
    return () => {
      live = false;
      off();
      offPhotos();
    };
  }, [api, album, signature, checks]);

  return (
    <aside className="print-panel" aria-label={t('preflight.title')}>
      <h3>{t('preflight.title')}</h3>
      <label className="small">
        {t('preflight.signature')}{' '}
        <select value={signature} onChange={(e) => setSignature(Number(e.target.value))}>
          {SIGNATURES.map((n) => (
            <option key={n} value={n}>
              {t('preflight.signatureOption', { n })}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => setChecks((n) => n + 1)} data-testid="preflight-run">
        {t('preflight.run')}
      </button>
      {result ? (
        <PreflightPanel issues={result.issues} onSelectIssue={onSelectIssue} />
      ) : (
        <p className="muted small">{t('preflight.checking')}</p>
      )}
      <button
        type="button"
        className="primary"
        disabled={!result || result.pageCount === 0}
        onClick={() => setExporting(true)}
        data-testid="export-open"
      >
        {t('export.open')}
      </button>
      {exporting && result && (
        <ExportDialog
          albumId={album.id}
          pageCount={result.pageCount}
          summary={summarize(result.issues)}
          onClose={() => setExporting(false)}
        />
      )}
    </aside>
  );
}
