import { useState, type DragEvent } from 'react';
import { spreadsFor } from '../../src-shared/geometry/spreads.js';
import type { BindingSide } from '../../src-shared/model/album.js';
import type { Page } from '../../src-shared/model/page.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { movePage, sameOrder } from '../strip/pageOrder.js';
import { PageThumbnail } from '../strip/PageThumbnail.js';

/** Drag data of a page being reordered in the strip (its id). */
const PAGE_DRAG_TYPE = 'application/x-weebum-page';

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

  function drop(event: DragEvent<HTMLElement>, targetId: string) {
    const moving = event.dataTransfer.getData(PAGE_DRAG_TYPE);
    if (!moving) return;
    event.preventDefault();
    const box = event.currentTarget.getBoundingClientRect();
    const firstHalf = event.clientX - box.left < box.width / 2;
    // Reading order runs left to right with left binding, right to left with right binding.
    const before = binding === 'left' ? firstHalf : !firstHalf;
    void reorder(movePage(order, moving, targetId, before ? 'before' : 'after'));
  }

  const aspect = `${props.widthMm} / ${props.heightMm}`;
  const box = (n: number | null, side: 'left' | 'right') => {
    const page = n === null ? undefined : pages[n - 1];
    if (n === null || !page) {
      return (
        <div
          className={`strip-page ${side} empty`}
          style={{ aspectRatio: aspect }}
          data-side={side}
          data-page=""
        >
          <span className="visually-hidden">{t('workspace.blank')}</span>
        </div>
      );
    }
    const active = page.id === activePageId;
    return (
      <button
        type="button"
        className={`strip-page ${side}${active ? ' active' : ''}`}
        style={{ aspectRatio: aspect }}
        data-side={side}
        data-page={n}
        data-page-id={page.id}
        aria-current={active ? 'page' : undefined}
        aria-label={t('strip.pageLabel', { n })}
        draggable
        onClick={() => props.onOpen(page.id)}
        onDragStart={(e) => {
          e.dataTransfer.setData(PAGE_DRAG_TYPE, page.id);
          e.dataTransfer.effectAllowed = 'move';
        }}
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes(PAGE_DRAG_TYPE)) e.preventDefault();
        }}
        onDrop={(e) => drop(e, page.id)}
      >
        <PageThumbnail
          page={page}
          widthMm={props.widthMm}
          heightMm={props.heightMm}
          thumbnailOf={props.thumbnailOf}
        />
        <span className="strip-number" aria-hidden="true">
          {n}
        </span>
      </button>
    );
  };

  return (
    <nav className="spread-strip" aria-label={t('workspace.spreads')}>
      <h3>{t('workspace.spreads')}</h3>
      <div className="strip-tools" role="toolbar" aria-label={t('strip.tools')}>
        <button type="button" className="small-button" onClick={() => void add()}>
          {t('strip.add')}
        </button>
        <button
          type="button"
          className="small-button"
          disabled={activeIndex < 0 || pages.length <= 1}
          onClick={() => activePageId && setConfirming({ id: activePageId, n: activeIndex + 1 })}
        >
          {t('strip.delete')}
        </button>
        <button
          type="button"
          className="small-button"
          disabled={activeIndex <= 0}
          onClick={() => move(-1)}
        >
          {t('strip.moveEarlier')}
        </button>
        <button
          type="button"
          className="small-button"
          disabled={activeIndex < 0 || activeIndex >= pages.length - 1}
          onClick={() => move(1)}
        >
          {t('strip.moveLater')}
        </button>
      </div>
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
              {box(spread.left, 'left')}
              {box(spread.right, 'right')}
            </div>
          </li>
        ))}
      </ol>
      {confirming && (
        <Modal title={t('strip.deleteTitle')} onClose={() => setConfirming(null)}>
          <p>{t('strip.deleteConfirm', { n: confirming.n })}</p>
          <div className="actions">
            <button type="button" onClick={() => setConfirming(null)}>
              {t('strip.cancel')}
            </button>
            <button type="button" className="danger" onClick={() => void remove(confirming.id)}>
              {t('strip.deleteConfirmButton')}
            </button>
          </div>
        </Modal>
      )}
    </nav>
  );
}
