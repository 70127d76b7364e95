import { useT } from '../i18n/i18nStore.js';

/** The strip's buttons: add a page after the active one, delete it, move it either way. */
export function StripTools({
  activeIndex,
  pageCount,
  onAdd,
  onDelete,
  onMove,
}: {
  /** The active page's 0-based place; -1 when none. */
  readonly activeIndex: number;
  readonly pageCount: number;
  readonly onAdd: () => void;
  readonly onDelete: () => void;
  readonly onMove: (by: -1 | 1) => void;
}) {
  const t = useT();
  return (
    <div className="strip-tools" role="toolbar" aria-label={t('strip.tools')}>
      <button type="button" className="small-button" onClick={onAdd}>
        {t('strip.add')}
      </button>
      <button
        type="button"
        className="small-button"
        disabled={activeIndex < 0 || pageCount <= 1}
        onClick={onDelete}
      >
        {t('strip.delete')}
      </button>
      <button
        type="button"
        className="small-button"
        disabled={activeIndex <= 0}
        onClick={() => onMove(-1)}
      >
        {t('strip.moveEarlier')}
      </button>
      <button
        type="button"
        className="small-button"
        disabled={activeIndex < 0 || activeIndex >= pageCount - 1}
        onClick={() => onMove(1)}
      >
        {t('strip.moveLater')}
      </button>
    </div>
  );
}
