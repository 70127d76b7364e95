import { useState, type DragEvent } from 'react';
import { spreadsFor } from '../../src-shared/geometry/spreads.js';
import type { BindingSide } from '../../src-shared/model/album.js';
import type { Page } from '../../src-shared/model/page.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { DeletePageDialog } from './DeletePageDialog.js';
import { dropPlace, movePage, sameOrder } from './pageOrder.js';
import { StripPage } from './StripPage.js';
import { StripTools } from './StripTools.js';

interface StripProps {
  readonly albumId: string;
  /** In album order. */
  readonly pages: readonly Page[];
  readonly binding: BindingSide;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly activePageId: string | null;
  readonly thumbnailOf: (photoId: string) => string | null;
  readonly onOpen: (pageId: string) => void;
  /** After a page was added, deleted or moved here: the workspace reads the pages again. */
  readonly onChanged: (activePageId: string | null) => void;
}

/**
 * Spreads as they will print, from src-shared's `spreadsFor` (left binding puts page 1 alone
 * on the right, right binding alone on the left), each page drawn small from its document.
 * Pages are added, deleted (after a confirmation) and reordered by dragging here; the move
 * buttons do the same from the keyboard.
 */
export function SpreadStrip(props: StripProps) {
  const { albumId, pages, binding, activePageId, onChanged } = props;
  const t = useT();
  const api = useApi();
  const [confirming, setConfirming] = useState<{ id: string; n: number } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const order = pages.map((p) => p.id);
  const activeIndex = activePageId === null ? -1 : order.indexOf(activePageId);

  const done = (result: { ok: true } | { ok: false; error: AppError }, next: string | null) => {
    setError(result.ok ? null : result.error);
    onChanged(next);
  };
  async function add() {
    const result = await api['pages.add']({ albumId, afterPageId: activePageId });
    done(result, result.ok ? result.value.id : activePageId);
  }
  async function remove(pageId: string) {
    setConfirming(null);
    const at = order.indexOf(pageId);
    const next = order[at + 1] ?? order[at - 1] ?? null;
    done(await api['pages.delete']({ albumId, pageId }), next);
  }
  async function reorder(next: string[]) {
    if (sameOrder(next, order)) return;
    done(await api['pages.reorder']({ albumId, pageIds: next }), activePageId);
  }
  const move = (by: -1 | 1) => {
    const target = order[activeIndex + by];
    if (activePageId && target) {
      void reorder(movePage(order, activePageId, target, by < 0 ? 'before' : 'after'));
    }
  };
  const dropPage = (event: DragEvent<HTMLElement>, moving: string, targetId: string) => {
    event.preventDefault();
    const box = event.currentTarget.getBoundingClientRect();
    const place = dropPlace(event.clientX - box.left, box.width, binding);
    void reorder(movePage(order, moving, targetId, place));
  };

  const side = (n: number | null, which: 'left' | 'right') => {
    const page = n === null ? undefined : pages[n - 1];
    return (
      <StripPage
        n={n}
        page={page}
        side={which}
        active={page !== undefined && page.id === activePageId}
        widthMm={props.widthMm}
        heightMm={props.heightMm}
        thumbnailOf={props.thumbnailOf}
        onOpen={props.onOpen}
        onDropPage={dropPage}
      />
    );
  };

  return (
    <nav className="spread-strip" aria-label={t('workspace.spreads')}>
      <h3>{t('workspace.spreads')}</h3>
      <StripTools
        activeIndex={activeIndex}
        pageCount={pages.length}
        onAdd={() => void add()}
        onDelete={() => activePageId && setConfirming({ id: activePageId, n: activeIndex + 1 })}
        onMove={move}
      />
      <ErrorMessage error={error} />
      <p className="muted small" data-testid="page-count">
        {t('strip.count', { count: pages.length })}
      </p>
      <ol>
        {spreadsFor(pages.length, binding).map((spread, i) => (
          <li
            key={i}
            className="strip-spread"
            aria-label={t('workspace.spreadLabel', { n: i + 1 })}
          >
            <div className="strip-pair">
              {side(spread.left, 'left')}
              {side(spread.right, 'right')}
            </div>
          </li>
        ))}
      </ol>
      {confirming && (
        <DeletePageDialog
          n={confirming.n}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void remove(confirming.id)}
        />
      )}
    </nav>
  );
}
