/**
 * Which rows of a fixed-row-height grid to render for a scroll position: the rows in view plus
 * `overscan` rows each side, so thousands of photos cost only what fits on screen.
 */
export function visibleRows(input: {
  readonly scrollTop: number;
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly rowCount: number;
  readonly overscan: number;
}): { readonly first: number; readonly last: number } {
  const { scrollTop, viewportHeight, rowHeight, rowCount, overscan } = input;
  if (rowCount === 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const top = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const bottom = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  return {
    first: Math.max(0, top - overscan),
    last: Math.min(rowCount - 1, bottom - 1 + overscan),
  };
}

/** Columns of `tileWidth` (with `gap` between) that fit `width`; at least one. */
export const columnsFor = (width: number, tileWidth: number, gap: number): number =>
  Math.max(1, Math.floor((width + gap) / (tileWidth + gap)));
