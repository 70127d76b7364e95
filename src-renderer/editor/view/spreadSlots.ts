import { spreadPages, type EditorState } from '../editorStore.js';

/** A page of the spread shown and where it sits in it. */
export interface Slot {
  readonly pageId: string;
  /** mm from the spread's origin (the left page's trim edge). */
  readonly offsetX: number;
  readonly side: 'left' | 'right';
}

/** The pages of the spread shown: the left one at 0, the right one a trim width further. */
export function spreadSlots(state: Pick<EditorState, 'album' | 'order' | 'spreadIndex'>): Slot[] {
  const { left, right } = spreadPages(state);
  return [
    ...(left ? [{ pageId: left, offsetX: 0, side: 'left' as const }] : []),
    ...(right
      ? [{ pageId: right, offsetX: state.album.trim.widthMm, side: 'right' as const }]
      : []),
  ];
}

/** The page's position in the spread shown (mm from the spread's origin), if it is shown. */
export function slotOffset(
  state: Pick<EditorState, 'album' | 'order' | 'spreadIndex'>,
  pageId: string,
): number | null {
  return spreadSlots(state).find((s) => s.pageId === pageId)?.offsetX ?? null;
}

/**
 * The page under `xMm` (from the spread's origin): each page with its outer bleed; a page shown
 * alone takes the whole width.
 */
export function slotAt(
  slots: readonly Slot[],
  xMm: number,
  album: Pick<EditorState['album'], 'trim' | 'bleedMm'>,
): Slot | undefined {
  const W = album.trim.widthMm;
  const bleed = album.bleedMm;
  return (
    slots.find(
      (s) =>
        xMm >= s.offsetX - (s.side === 'left' ? bleed : 0) &&
        xMm < s.offsetX + W + (s.side === 'right' ? bleed : 0),
    ) ?? (slots.length === 1 ? slots[0] : undefined)
  );
}
