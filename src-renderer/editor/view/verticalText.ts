import type { TextBox } from '../../../src-shared/model/page.js';
import { layoutText } from '../../../src-shared/text/textLayout.js';

/** One character placed in a vertical text box (mm from the box's top-left). */
export interface VerticalGlyph {
  readonly char: string;
  /** Where the character's em box is centred (its cell's centre, or moved for 、。). */
  readonly centerX: number;
  readonly centerY: number;
  /** Latin letters, long marks and brackets turn 90° clockwise in vertical writing. */
  readonly rotated: boolean;
  /** Commas and full stops sit in the cell's upper right. */
  readonly shifted: boolean;
}

const SHIFTED = new Set([...'、。，．']);
/**
 * How far up and right IPAex's vertical forms of 、。，． sit from the horizontal glyphs:
 * 0.64-0.72 em in both fonts (their bounding boxes, read with fontkit).
 */
const PUNCTUATION_SHIFT_EM = 2 / 3;

/**
 * 縦書き as the PDF prints it (Konva draws no vertical text): the cells come from the shared
 * layout (`src-shared/text/textLayout.ts`), so columns, ぶら下げ, alignment and the columns
 * left out when they do not fit are the export's. Konva has no vertical glyph forms, so what
 * the PDF takes from the font's `vert` feature is drawn turned (ー, brackets) or moved (、。).
 */
export function layoutVerticalText(
  box: Pick<
    TextBox,
    'text' | 'fontFamily' | 'sizePt' | 'align' | 'lineHeight' | 'vertical' | 'width' | 'height'
  >,
): { readonly sizeMm: number; readonly glyphs: readonly VerticalGlyph[] } {
  const layout = layoutText({ ...box, vertical: true });
  return {
    sizeMm: layout.sizeMm,
    glyphs: layout.glyphs
      .filter((g) => g.column < layout.fitting)
      .map((g) => {
        const shifted = SHIFTED.has(g.char);
        const shift = shifted ? PUNCTUATION_SHIFT_EM * layout.sizeMm : 0;
        return {
          char: g.char,
          centerX: g.centerX + shift,
          centerY: g.centerY - shift,
          rotated: g.rotate,
          shifted,
        };
      }),
  };
}
