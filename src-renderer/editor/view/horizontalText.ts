import type { TextBox } from '../../../src-shared/model/page.js';
import {
  layoutText,
  type HorizontalLine,
  type MeasureText,
} from '../../../src-shared/text/textLayout.js';

/** Size the canvas measures at; widths scale linearly with the font size. */
const REFERENCE_PX = 100;

/**
 * Text widths from a canvas in the loaded web fonts (the files the PDF embeds), in mm for the
 * shared layout.
 */
export function canvasMeasure(
  context: Pick<CanvasRenderingContext2D, 'font' | 'measureText'>,
): MeasureText {
  return (text, font, sizeMm) => {
    context.font = `${REFERENCE_PX}px ${font}`;
    return (context.measureText(text).width * sizeMm) / REFERENCE_PX;
  };
}

/**
 * Horizontal text as the PDF prints it: the lines of the shared layout
 * (`src-shared/text/textLayout.ts`: 禁則, Latin words kept whole, justify's spacing), without
 * the lines that do not fit the box. Konva's own wrapping knows neither 禁則 nor justify for
 * Japanese text.
 */
export function layoutHorizontalText(
  box: Pick<
    TextBox,
    'text' | 'fontFamily' | 'sizePt' | 'align' | 'lineHeight' | 'vertical' | 'width' | 'height'
  >,
  measure: MeasureText,
): readonly HorizontalLine[] {
  const layout = layoutText({ ...box, vertical: false }, measure);
  return layout.lines.slice(0, layout.fitting);
}
