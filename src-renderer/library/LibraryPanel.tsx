import { useEffect, useId, useMemo, useState } from 'react';
import type { ImportProgress, PhotoSummary } from '../../src-shared/desktop/contract.js';
import {
  filterPhotos,
  placementCounts,
  type PhotoFilter,
} from '../../src-shared/library/placements.js';
import type { Page } from '../../src-shared/model/page.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { shortJst } from '../components/formatTime.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { importBatches } from './batches.js';
import { ImportForm } from './ImportForm.js';
import { importRefresh } from './importRefresh.js';
import { PhotoTile } from './PhotoTile.js';
import { VirtualGrid } from './VirtualGrid.js';

const TILE = 104;
const ROW = 132;
const GAP = 8;
/** During an import the grid is read again each time this many more photos are in. */
const READ_EVERY = 50;

/**
 * The album's photos: import, filters (batch, days, used or not), and a virtualized grid whose
 * tiles are dragged onto the canvas. Placement counts come from `pages`, the pages as the
 * editor has them, so they follow every edit at once.
 */
export function LibraryPanel({
  albumId,
  pages,
  onPhotos,
}: {
  readonly albumId: string;
  readonly pages: readonly Page[];
  /** Every photo of the album as read (the strip draws their thumbnails on pages). */
  readonly onPhotos?: (photos: readonly PhotoSummary[]) => void;
}) {
  const t = useT();
  const api = useApi();
  const [photos, setPhotos] = useState<readonly PhotoSummary[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [filter, setFilter] = useState<PhotoFilter>({});
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const id = useId();

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      const result = await api['photos.list']({ albumId });
      if (!live) return;
      if (result.ok) {
        setPhotos(result.value);
        onPhotos?.(result.value);
        setError(null);
      } else {
        setError(result.error);
      }
    };
    // Progress events come many per second: one read per quiet moment.
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void read(), 250);
    };
    const worthReading = importRefresh(READ_EVERY);
    void read();
    const offImport = api.on('import.progress', (p) => {
      if (p.albumId !== albumId) return;
      setProgress(p);
      if (worthReading(p)) soon();
    });
    const offUpload = api.on('uploads.progress', (p) => {
      if (p.albumId === albumId) soon();
    });
    // Sync brought photos other computers uploaded (or retention took some away).
    const offSynced = api.on('photos.changed', (p) => {
      if (p.albumId === albumId) soon();
    });
    return () => {
      live = false;
      clearTimeout(timer);
      offImport();
      offUpload();
      offSynced();
    };
  }, [api, albumId, onPhotos]);

  const counts = useMemo(() => placementCounts(pages), [pages]);
  const batches = useMemo(() => importBatches(photos), [photos]);
  const shown = useMemo(() => filterPhotos(photos, filter, counts), [photos, filter, counts]);
  const change = (next: Partial<PhotoFilter>) => setFilter((f) => ({ ...f, ...next }));

  return (
    <section className="library" aria-labelledby="library-title">
      <h3 id="library-title">{t('library.title')}</h3>
      <ImportForm albumId={albumId} progress={progress} />
      <fieldset className="library-filters">
        <legend className="visually-hidden">{t('library.filters')}</legend>
        <div className="filter">
          <label htmlFor={`${id}-batch`}>{t('library.batch')}</label>
          <select
            id={`${id}-batch`}
            value={filter.batchId ?? ''}
            onChange={(e) => change({ batchId: e.target.value || undefined })}
          >
            <option value="">{t('library.allBatches')}</option>
            {batches.map((b) => (
              <option key={b.id} value={b.id}>
                {t('library.batchOption', {
                  n: b.number,
                  time: shortJst(b.importedAt),
                  count: b.count,
                })}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={`${id}-from`}>{t('library.takenFrom')}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={filter.takenFrom ?? ''}
            onChange={(e) => change({ takenFrom: e.target.value || undefined })}
          />
        </div>
        <div className="filter">
          <label htmlFor={`${id}-to`}>{t('library.takenTo')}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={filter.takenTo ?? ''}
            onChange={(e) => change({ takenTo: e.target.value || undefined })}
          />
        </div>
        <div className="filter">
          <label htmlFor={`${id}-placed`}>{t('library.placed')}</label>
          <select
            id={`${id}-placed`}
            value={filter.placed ?? ''}
            onChange={(e) =>
              change({ placed: (e.target.value || undefined) as PhotoFilter['placed'] })
            }
          >
            <option value="">{t('library.placedAll')}</option>
            <option value="unused">{t('library.placedUnused')}</option>
            <option value="used">{t('library.placedUsed')}</option>
          </select>
        </div>
      </fieldset>
      <p className="muted small" data-testid="library-count" aria-live="polite">
        {t('library.count', { shown: shown.length, total: photos.length })}
      </p>
      {error && <ErrorMessage error={error} />}
      <VirtualGrid
        items={shown}
        tileWidth={TILE}
        rowHeight={ROW}
        gap={GAP}
        label={t('library.grid')}
        itemKey={(p) => p.id}
        render={(p) => <PhotoTile photo={p} placements={counts.get(p.id) ?? 0} />}
      />
    </section>
  );
}
