import type { PhotoSummary } from '../../src-shared/desktop/contract.js';
import { useT } from '../i18n/i18nStore.js';
import { PHOTO_DRAG_TYPE, photoDragValue } from './photoDrag.js';

/** One library photo: its thumbnail, a drag source for the canvas, and how often it is placed. */
export function PhotoTile({
  photo,
  placements,
}: {
  readonly photo: PhotoSummary;
  readonly placements: number;
}) {
  const t = useT();
  const failed = photo.state === 'failed';
  return (
    <figure
      className={`photo-tile${failed ? ' failed' : ''}`}
      draggable={!failed}
      data-photo-id={photo.id}
      data-placements={placements}
      title={photo.fileName}
      onDragStart={(e) => {
        e.dataTransfer.setData(PHOTO_DRAG_TYPE, photoDragValue(photo));
        e.dataTransfer.effectAllowed = 'copy';
      }}
    >
      {photo.thumbnailUrl ? (
        <img src={photo.thumbnailUrl} alt={photo.fileName} loading="lazy" draggable={false} />
      ) : (
        <span className="photo-missing">{photo.fileName}</span>
      )}
      <figcaption>
        <span className="photo-name">{photo.fileName}</span>
        <span className={`placements${placements > 0 ? ' used' : ''}`}>
          <span aria-hidden="true">{placements > 0 ? `×${placements}` : '–'}</span>
          <span className="visually-hidden">{t('library.placedTimes', { count: placements })}</span>
        </span>
      </figcaption>
      {failed && <span className="photo-state">{t('library.failed')}</span>}
    </figure>
  );
}
