import { spreadsFor } from '../../src-shared/geometry/spreads.js';
import type { BindingSide } from '../../src-shared/model/album.js';
import { useT } from '../i18n/i18nStore.js';

/** One page as a box with the trim's proportions; `null` is the empty side of a spread. */
function PageBox({
  page,
  side,
  aspect,
}: {
  readonly page: number | null;
  readonly side: 'left' | 'right';
  readonly aspect: string;
}) {
  const t = useT();
  return (
    <div
      className={`strip-page ${side}${page === null ? ' empty' : ''}`}
      style={{ aspectRatio: aspect }}
      data-side={side}
      data-page={page ?? ''}
    >
      {page === null ? <span className="visually-hidden">{t('workspace.blank')}</span> : page}
    </div>
  );
}

/**
 * Spreads as they will print, from src-shared's `spreadsFor`: left binding puts page 1 alone
 * on the right, right binding (vertical text) alone on the left.
 */
export function SpreadStrip({
  pageCount,
  binding,
  widthMm,
  heightMm,
}: {
  readonly pageCount: number;
  readonly binding: BindingSide;
  readonly widthMm: number;
  readonly heightMm: number;
}) {
  const t = useT();
  const aspect = `${widthMm} / ${heightMm}`;
  return (
    <nav className="spread-strip" aria-label={t('workspace.spreads')}>
      <h3>{t('workspace.spreads')}</h3>
      <ol>
        {spreadsFor(pageCount, binding).map((spread, i) => (
          <li
            key={i}
            className="strip-spread"
            aria-label={t('workspace.spreadLabel', { n: i + 1 })}
          >
            <div className="strip-pair">
              <PageBox page={spread.left} side="left" aspect={aspect} />
              <PageBox page={spread.right} side="right" aspect={aspect} />
            </div>
          </li>
        ))}
      </ol>
    </nav>
  );
}
