import { useEffect, useState } from 'react';
import type { Conflict } from '../../src-shared/desktop/contract.js';
import { shortJst } from '../components/formatTime.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { conflictText, type ConflictContext } from './conflictText.js';
import { useConflicts } from './conflictsStore.js';

/**
 * The album's sync conflicts to walk through: each says which page and element kept the
 * server's value, the element named by its kind and text, photo or place (conflictText);
 * "open" shows its page, "done" dismisses it. Hidden when there are none.
 */
export function ConflictsPanel({
  albumId,
  pageNumber,
  context,
  onOpen,
}: {
  readonly albumId: string;
  /** 1-based page number of a page id, or null if the page is gone. */
  readonly pageNumber: (pageId: string) => number | null;
  /** What names a conflict's element, for a page id. */
  readonly context: (pageId: string) => ConflictContext;
  readonly onOpen: (conflict: Conflict) => void;
}) {
  const t = useT();
  const api = useApi();
  const { conflicts, follow, dismiss } = useConflicts();
  const [current, setCurrent] = useState(0);
  useEffect(() => follow(api, albumId), [api, albumId, follow]);

  if (conflicts.length === 0) return null;
  const at = Math.min(current, conflicts.length - 1);
  const open = (i: number) => {
    setCurrent(i);
    onOpen(conflicts[i]!);
  };
  return (
    <section className="conflicts" aria-labelledby="conflicts-title">
      <h3 id="conflicts-title" className="warn-text">
        {t('conflicts.title', { count: conflicts.length })}
      </h3>
      <p className="muted small">{t('conflicts.explain')}</p>
      <ol>
        {conflicts.map((c, i) => {
          const n = pageNumber(c.pageId);
          return (
            <li key={c.id} className={i === at ? 'current' : undefined} data-page-id={c.pageId}>
              <button type="button" className="link" onClick={() => open(i)}>
                {n === null ? t('conflicts.pageGone') : t('conflicts.page', { n })}
                {' — '}
                {conflictText(t, c, context(c.pageId))}
              </button>
              <span className="muted small"> {shortJst(c.detectedAt)}</span>
              <button
                type="button"
                className="small-button"
                onClick={() => void dismiss(api, [c.id])}
              >
                {t('conflicts.dismiss')}
              </button>
            </li>
          );
        })}
      </ol>
      <div className="conflicts-walk">
        <button type="button" className="small-button" onClick={() => open(Math.max(0, at - 1))}>
          {t('conflicts.previous')}
        </button>
        <button
          type="button"
          className="small-button"
          onClick={() => open(Math.min(conflicts.length - 1, at + 1))}
        >
          {t('conflicts.next')}
        </button>
      </div>
    </section>
  );
}
