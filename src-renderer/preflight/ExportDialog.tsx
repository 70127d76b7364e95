import { useEffect, useState } from 'react';
import type { EventPayload } from '../../src-shared/desktop/contract.js';
import type { PreflightSummary } from '../../src-shared/preflight/preflight.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';

type Progress = EventPayload<'export.progress'>;

/**
 * Export with the preflight summary: when preflight found errors, the Export button stays off
 * until the user confirms them explicitly. Shows progress and offers cancel while it runs.
 */
export function ExportDialog({
  albumId,
  pageCount,
  summary,
  onClose,
}: {
  readonly albumId: string;
  readonly pageCount: number;
  readonly summary: PreflightSummary;
  readonly onClose: () => void;
}) {
  const t = useT();
  const api = useApi();
  const [destinationPath, setDestinationPath] = useState('');
  const [spreads, setSpreads] = useState(false);
  const [cropMarks, setCropMarks] = useState(true);
  const [from, setFrom] = useState(1);
  const [to, setTo] = useState(pageCount);
  const [confirmed, setConfirmed] = useState(false);
  const [exportId, setExportId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(
    () =>
      api.on('export.progress', (p) => {
        if (p.albumId === albumId && (exportId === null || p.exportId === exportId)) setProgress(p);
      }),
    [api, albumId, exportId],
  );

  const running = exportId !== null && (progress === null || progress.state === 'running');
  const blocked = summary.errors > 0 && !confirmed;
  const start = async () => {
    setError(null);
    setProgress(null);
    const result = await api['export.pdf']({
      albumId,
      spreads,
      cropMarks,
      destinationPath,
      ...(from !== 1 || to !== pageCount ? { pageRange: { from, to } } : {}),
    });
    if (result.ok) setExportId(result.value.exportId);
    else setError(result.error);
  };

  return (
    <Modal title={t('export.title')} onClose={running ? () => undefined : onClose}>
      <p data-testid="export-summary" className={summary.errors > 0 ? 'error-text' : 'muted'}>
        {t('export.summary', { errors: summary.errors, warnings: summary.warnings })}
      </p>
      {summary.errors > 0 && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.target.checked)}
            data-testid="export-confirm-errors"
          />{' '}
          {t('export.confirmErrors')}
        </label>
      )}
      <label>
        {t('export.destination')}
        <input
          type="text"
          value={destinationPath}
          onChange={(e) => setDestinationPath(e.target.value)}
          placeholder="/home/user/album.pdf"
          data-testid="export-destination"
        />
      </label>
      <div className="row">
        <label>
          {t('export.pageFrom')}
          <input
            type="number"
            min={1}
            max={pageCount}
            value={from}
            onChange={(e) => setFrom(Number(e.target.value))}
          />
        </label>
        <label>
          {t('export.pageTo')}
          <input
            type="number"
            min={1}
            max={pageCount}
            value={to}
            onChange={(e) => setTo(Number(e.target.value))}
          />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={spreads} onChange={(e) => setSpreads(e.target.checked)} />{' '}
        {t('export.spreads')}
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={cropMarks}
          onChange={(e) => setCropMarks(e.target.checked)}
        />{' '}
        {t('export.cropMarks')}
      </label>
      {error && <ErrorMessage error={error} />}
      {progress && (
        <p data-testid="export-status" role="status">
          {progress.state === 'running' &&
            t('export.progress', { done: progress.done, total: progress.total })}
          {progress.state === 'done' && t('export.done', { path: progress.destinationPath })}
          {progress.state === 'done' &&
            progress.placeholders > 0 &&
            ` ${t('export.donePlaceholders', { count: progress.placeholders })}`}
          {progress.state === 'cancelled' && t('export.cancelled')}
          {progress.state === 'failed' &&
            t('export.failed', { message: progress.error?.message ?? '' })}
        </p>
      )}
      <div className="actions">
        {running ? (
          <button type="button" onClick={() => void api['export.cancel']({ exportId: exportId })}>
            {t('export.cancel')}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="primary"
              disabled={blocked || destinationPath === ''}
              onClick={() => void start()}
              data-testid="export-start"
            >
              {t('export.start')}
            </button>
            <button type="button" onClick={onClose}>
              {t('export.close')}
            </button>
          </>
        )}
      </div>
    </Modal>
  );
}
