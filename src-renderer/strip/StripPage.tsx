import type { DragEvent } from 'react';
import type { Page } from '../../src-shared/model/page.js';
import { useT } from '../i18n/i18nStore.js';
import { PageThumbnail } from './PageThumbnail.js';

/** Drag data of a page being reordered in the strip (its id). */
export const PAGE_DRAG_TYPE = 'application/x-weebum-page';

/**
 * One side of a spread in the strip: the page drawn small with its number (a button that
 * opens it, dragged to reorder), or a blank where the spread has no page.
 */
export function StripPage({
  n,
  page,
  side,
  active,
  widthMm,
  heightMm,
  thumbnailOf,
  onOpen,
  onDropPage,
}: {
  /** 1-based page number; null for a blank side. */
  readonly n: number | null;
  readonly page: Page | undefined;
  readonly side: 'left' | 'right';
  readonly active: boolean;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly thumbnailOf: (photoId: string) => string | null;
  readonly onOpen: (pageId: string) => void;
  /** A page of the strip (`movingId`) was dropped on this one. */
  readonly onDropPage: (event: DragEvent<HTMLElement>, movingId: string, targetId: string) => void;
}) {
  const t = useT();
  const aspect = `${widthMm} / ${heightMm}`;
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
      onClick={() => onOpen(page.id)}
      onDragStart={(e) => {
        e.dataTransfer.setData(PAGE_DRAG_TYPE, page.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(PAGE_DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        const moving = e.dataTransfer.getData(PAGE_DRAG_TYPE);
        if (moving) onDropPage(e, moving, page.id);
      }}
    >
      <PageThumbnail page={page} widthMm={widthMm} heightMm={heightMm} thumbnailOf={thumbnailOf} />
      <span className="strip-number" aria-hidden="true">
        {n}
      </span>
    </button>
  );
}
