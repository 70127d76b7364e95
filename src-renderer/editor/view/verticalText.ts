/** One character placed in a vertical text box (mm from the box's top-left). */
export interface VerticalGlyph {
  readonly char: string;
  /** Top-left of the character's square cell. */
  readonly x: number;
  readonly y: number;
  /** Long marks and brackets turn 90° clockwise in vertical writing. */
  readonly rotated: boolean;
  /** Commas and full stops sit in the cell's upper right. */
  readonly shifted: boolean;
}

const ROTATED = new Set([...'ー－―‐-–—~～…‥()（）[]［］{}｛｝<>〈〉《》【】〔〕「」『』=＝→←']);
const SHIFTED = new Set([...'、。，．']);

/**
 * 縦書き layout (Konva draws no vertical text): one character per row, top to bottom;
 * columns from right to left, `lineHeight` × size apart; a new line or a full column starts
 * the next column. Characters past the box's left edge are still laid out (they overflow, as
 * horizontal text does at the bottom).
 */
export function layoutVerticalText(input: {
  readonly text: string;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly fontSizeMm: number;
  readonly lineHeight: number;
}): VerticalGlyph[] {
  const { text, widthMm, heightMm, fontSizeMm: size, lineHeight } = input;
  const pitch = size * lineHeight;
  const rowsPerColumn = Math.max(1, Math.floor(heightMm / size + 1e-9));
  const glyphs: VerticalGlyph[] = [];
  let column = 0;
  let row = 0;
  for (const char of text) {
    if (char === '\n') {
      column += 1;
      row = 0;
      continue;
    }
    if (row >= rowsPerColumn) {
      column += 1;
      row = 0;
    }
    // The first column's cell is centred in its pitch at the right edge.
    const x = widthMm - column * pitch - (pitch + size) / 2;
    glyphs.push({
      char,
      x,
      y: row * size,
      rotated: ROTATED.has(char),
      shifted: SHIFTED.has(char),
    });
    row += 1;
  }
  return glyphs;
}
