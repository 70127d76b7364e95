import type { FontFamily, TextBox } from '../model/page.js';
import { ptToMm } from '../model/units.js';

/**
 * Text layout shared by the editor, the PDF export and preflight, so all three break lines and
 * place vertical glyphs the same way. Pure: the width of a run of text comes from a `measure`
 * function passed in (the export passes the font's real advances; preflight and tests may use
 * `approximateMeasure`). All lengths are mm, relative to the text box's top-left.
 */

/** Width in mm of `text` set in `font` at `sizeMm` (the em size). */
export type MeasureText = (text: string, font: FontFamily, sizeMm: number) => number;

/**
 * Where the baseline sits below the top of the em box, as a fraction of the em. IPAex glyphs
 * (like most Japanese fonts) sit in an em box from 0.88 em above to 0.12 em below the baseline.
 */
export const EM_BOX_ASCENT = 0.88;

const HALF_WIDTH = /^[\u0020-\u007e\u00a0-\u00ff\uff61-\uff9f]$/u;

/** Is this character set half an em wide (Latin, digits, half-width katakana)? */
export const isHalfWidth = (char: string): boolean => HALF_WIDTH.test(char);

/**
 * The approximation preflight uses when no font is at hand: IPAex's CJK glyphs are exactly
 * one em wide and its Latin glyphs average close to half an em, so this over- or under-estimates
 * a Latin run by a few percent and is exact for Japanese text.
 */
export const approximateMeasure: MeasureText = (text, _font, sizeMm) => {
  let ems = 0;
  for (const char of text) ems += isHalfWidth(char) ? 0.5 : 1;
  return ems * sizeMm;
};

/** Characters that may not start a line (行頭禁則): they stay with the previous character. */
const NO_LINE_START = new Set([
  ...'、。，．,.!?！？)）」』】〕］｝〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・：；:;',
]);
/** Characters that may not end a line (行末禁則): they move down with the next character. */
const NO_LINE_END = new Set([...'(（「『【〔［｛〈《']);

export interface HorizontalLine {
  readonly text: string;
  /** Left edge of the line's first glyph. */
  readonly x: number;
  /** Baseline of the line. */
  readonly baselineY: number;
  /** Top of the line's em box. */
  readonly top: number;
  readonly width: number;
  /** Extra space between characters for `justify` (0 otherwise). */
  readonly charSpacing: number;
}

export interface VerticalGlyph {
  readonly char: string;
  /** Centre of the glyph's cell. */
  readonly centerX: number;
  readonly centerY: number;
  /**
   * Turned 90° clockwise in vertical writing when the renderer has no vertical glyph forms
   * (the PDF uses the font's `vert` forms instead for full-width punctuation; Latin letters
   * and digits are always turned).
   */
  readonly rotate: boolean;
  readonly halfWidth: boolean;
}

export interface TextLayout {
  readonly sizeMm: number;
  readonly vertical: boolean;
  /** Horizontal text: every line, including those past the box (see `fittingLines`). */
  readonly lines: readonly HorizontalLine[];
  /** Vertical text: every glyph, including those in columns past the box's left edge. */
  readonly glyphs: readonly (VerticalGlyph & { readonly column: number })[];
  /** How many lines (horizontal) or columns (vertical) fit in the box. */
  readonly fitting: number;
  /** Text does not fit its box: some of it would not be printed. */
  readonly overset: boolean;
}

type TextSpec = Pick<
  TextBox,
  'text' | 'fontFamily' | 'sizePt' | 'align' | 'lineHeight' | 'vertical' | 'width' | 'height'
>;

const EPSILON = 0.01;

/** Splits one paragraph into lines no wider than `maxWidth`, keeping 禁則 and Latin words whole. */
function wrapParagraph(
  paragraph: string,
  fits: (text: string) => boolean,
  breakAllowed: (chars: string[], at: number) => boolean,
): string[] {
  const chars = [...paragraph];
  if (chars.length === 0) return [''];
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start + 1;
    while (end < chars.length && fits(chars.slice(start, end + 1).join(''))) end += 1;
    if (end < chars.length) {
      // Step back to a place where a break is allowed, but never to an empty line.
      let at = end;
      while (at > start + 1 && !breakAllowed(chars, at)) at -= 1;
      if (at > start + 1 || breakAllowed(chars, at)) end = at;
    }
    const line = chars.slice(start, end).join('');
    // A space where the line broke is neither printed nor carried to the next line.
    lines.push(end < chars.length ? line.trimEnd() : line);
    start = end;
    while (start < chars.length && chars[start] === ' ' && start > 0) start += 1;
  }
  return lines;
}

/** May a line break fall before chars[at]? */
function breakAllowed(chars: string[], at: number): boolean {
  const before = chars[at - 1]!;
  const after = chars[at]!;
  if (NO_LINE_START.has(after) || NO_LINE_END.has(before)) return false;
  // Inside a Latin word or number: only at spaces.
  if (/[A-Za-z0-9]/.test(before) && /[A-Za-z0-9]/.test(after)) return false;
  return true;
}

function layoutHorizontal(spec: TextSpec, measure: MeasureText): TextLayout {
  const sizeMm = ptToMm(spec.sizePt);
  const advance = sizeMm * spec.lineHeight;
  const measureText = (t: string) => measure(t, spec.fontFamily, sizeMm);
  const fits = (t: string) => measureText(t) <= spec.width + EPSILON;
  const lines: HorizontalLine[] = [];
  let tooWide = false;
  const paragraphs = spec.text.split('\n');
  paragraphs.forEach((paragraph) => {
    const wrapped = wrapParagraph(paragraph, fits, breakAllowed);
    wrapped.forEach((text, i) => {
      const width = measureText(text);
      if (width > spec.width + EPSILON) tooWide = true;
      const lastOfParagraph = i === wrapped.length - 1;
      const count = [...text].length;
      let x = 0;
      let charSpacing = 0;
      if (spec.align === 'center') x = (spec.width - width) / 2;
      else if (spec.align === 'end') x = spec.width - width;
      else if (spec.align === 'justify' && !lastOfParagraph && count > 1) {
        charSpacing = Math.max(0, (spec.width - width) / (count - 1));
      }
      const top = lines.length * advance + (advance - sizeMm) / 2;
      lines.push({
        text,
        x,
        top,
        baselineY: top + EM_BOX_ASCENT * sizeMm,
        width,
        charSpacing,
      });
    });
  });
  const fitting = lines.filter((l) => l.top + sizeMm <= spec.height + EPSILON).length;
  const hasText = spec.text.trim().length > 0;
  return {
    sizeMm,
    vertical: false,
    lines,
    glyphs: [],
    fitting,
    overset: hasText && (fitting < lines.length || tooWide),
  };
}

/** Full-width characters that turn in vertical writing (long vowel mark, brackets, dashes). */
const TURNED_IN_VERTICAL = new Set([...'ー－～〜…‥（）「」『』【】〔〕［］｛｝〈〉《》—―→←＝']);

function layoutVertical(spec: TextSpec): TextLayout {
  const sizeMm = ptToMm(spec.sizePt);
  const columnAdvance = sizeMm * spec.lineHeight;
  const rowsPerColumn = Math.max(1, Math.floor((spec.height + EPSILON) / sizeMm));
  // Columns: one glyph per row (half-width characters too, turned), 禁則 by hanging the
  // forbidden line-start character at the foot of the previous column (ぶら下げ).
  const columns: string[][] = [];
  for (const paragraph of spec.text.split('\n')) {
    let column: string[] = [];
    for (const char of paragraph) {
      if (
        column.length >= rowsPerColumn &&
        !(NO_LINE_START.has(char) && column.length === rowsPerColumn)
      ) {
        columns.push(column);
        column = [];
      }
      column.push(char);
    }
    columns.push(column);
  }
  const glyphs: (VerticalGlyph & { column: number })[] = [];
  columns.forEach((column, c) => {
    const used = Math.min(column.length, rowsPerColumn) * sizeMm;
    const startY =
      spec.align === 'center'
        ? (spec.height - used) / 2
        : spec.align === 'end'
          ? spec.height - used
          : 0;
    const centerX = spec.width - (c + 0.5) * columnAdvance;
    column.forEach((char, row) => {
      const halfWidth = isHalfWidth(char);
      glyphs.push({
        char,
        column: c,
        centerX,
        centerY: startY + (row + 0.5) * sizeMm,
        rotate: halfWidth || TURNED_IN_VERTICAL.has(char),
        halfWidth,
      });
    });
  });
  // A column fits when its whole width lies inside the box.
  const fitting = Math.max(
    0,
    Math.floor((spec.width + (columnAdvance - sizeMm) / 2 + EPSILON) / columnAdvance),
  );
  const hasText = spec.text.trim().length > 0;
  return {
    sizeMm,
    vertical: true,
    lines: [],
    glyphs,
    fitting,
    // A hanging mark (ぶら下げ) past the foot is normal typesetting, not overset.
    overset: hasText && (columns.length > fitting || sizeMm > spec.height + EPSILON),
  };
}

/** Lays out a text box's text: lines for horizontal text, one glyph per cell for 縦書き. */
export function layoutText(spec: TextSpec, measure: MeasureText = approximateMeasure): TextLayout {
  return spec.vertical ? layoutVertical(spec) : layoutHorizontal(spec, measure);
}
