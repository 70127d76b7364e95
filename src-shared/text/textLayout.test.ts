import { describe, expect, it } from 'vitest';
import { ptToMm } from '../model/units.js';
import { approximateMeasure, EM_BOX_ASCENT, layoutText } from './textLayout.js';

const spec = (overrides: Partial<Parameters<typeof layoutText>[0]> = {}) => ({
  text: '',
  fontFamily: 'IPAexGothic' as const,
  sizePt: 72, // 25.4 mm: one em is one inch
  align: 'start' as const,
  lineHeight: 1.5,
  vertical: false,
  width: 100,
  height: 100,
  ...overrides,
});

describe('approximate measure', () => {
  it('counts full-width characters as one em and Latin as half', () => {
    expect(approximateMeasure('あいう', 'IPAexGothic', 10)).toBe(30);
    expect(approximateMeasure('ab12', 'IPAexGothic', 10)).toBe(20);
    expect(approximateMeasure('ｱｲ', 'IPAexGothic', 10)).toBe(10); // half-width katakana
  });
});

describe('horizontal layout', () => {
  it('wraps by width; lines are lineHeight apart with the baseline in the em box', () => {
    const layout = layoutText(spec({ text: 'あいうえおかき' })); // 3 per line (76.2 of 100 mm)
    expect(layout.lines.map((l) => l.text)).toEqual(['あいう', 'えおか', 'き']);
    const em = ptToMm(72);
    expect(layout.lines[1]!.top).toBeCloseTo(1.5 * em + 0.25 * em);
    expect(layout.lines[0]!.baselineY).toBeCloseTo(0.25 * em + EM_BOX_ASCENT * em);
    expect(layout.overset).toBe(true); // 100 mm holds two lines of 38.1 mm
    expect(layout.fitting).toBe(2);
  });
  it('keeps closing punctuation off the start of a line (行頭禁則)', () => {
    const layout = layoutText(spec({ text: 'あいう。え' }));
    expect(layout.lines.map((l) => l.text)).toEqual(['あい', 'う。え']);
  });
  it('keeps an opening bracket off the end of a line (行末禁則)', () => {
    const layout = layoutText(spec({ text: 'あい「う」' }));
    expect(layout.lines.map((l) => l.text)).toEqual(['あい', '「う」']);
  });
  it('breaks Latin text at spaces, not inside words', () => {
    const layout = layoutText(spec({ text: 'ab cdefg' })); // 7.9 half-width characters per line
    expect(layout.lines.map((l) => l.text)).toEqual(['ab', 'cdefg']);
  });
  it('starts a new line at a newline', () => {
    expect(layoutText(spec({ text: 'あ\nい' })).lines.map((l) => l.text)).toEqual(['あ', 'い']);
  });
  it('aligns centre and end; justify spreads all but the last line', () => {
    const em = ptToMm(72);
    expect(layoutText(spec({ text: 'あ', align: 'center' })).lines[0]!.x).toBeCloseTo(
      (100 - em) / 2,
    );
    expect(layoutText(spec({ text: 'あ', align: 'end' })).lines[0]!.x).toBeCloseTo(100 - em);
    const justified = layoutText(spec({ text: 'あいうえ', align: 'justify' }));
    expect(justified.lines[0]!.charSpacing).toBeCloseTo((100 - 3 * em) / 2);
    expect(justified.lines[1]!.charSpacing).toBe(0);
  });
  it('uses the measure passed in', () => {
    const layout = layoutText(spec({ text: 'abc' }), (t) => t.length * 40);
    expect(layout.lines.map((l) => l.text)).toEqual(['ab', 'c']);
  });
});

describe('vertical layout (縦書き)', () => {
  const em = ptToMm(72);
  it('sets one glyph per row and columns from right to left', () => {
    // 100 mm high: three rows; columns 38.1 mm apart.
    const layout = layoutText(spec({ vertical: true, text: 'あいうえ' }));
    const [a, b, c, d] = layout.glyphs;
    expect(a).toMatchObject({ char: 'あ', column: 0 });
    expect(a!.centerX).toBeCloseTo(100 - 0.75 * em);
    expect(a!.centerY).toBeCloseTo(0.5 * em);
    expect(b!.centerY).toBeCloseTo(1.5 * em);
    expect(c!.centerY).toBeCloseTo(2.5 * em);
    expect(d).toMatchObject({ char: 'え', column: 1 });
    expect(d!.centerX).toBeCloseTo(100 - 2.25 * em);
    expect(d!.centerX).toBeLessThan(a!.centerX);
    expect(layout.fitting).toBe(2);
    expect(layout.overset).toBe(false);
  });
  it('turns Latin characters and the long vowel mark; not kana', () => {
    const layout = layoutText(spec({ vertical: true, text: 'aー「あ' }));
    expect(layout.glyphs.map((g) => g.rotate)).toEqual([true, true, true, false]);
  });
  it('hangs a full stop at the foot of a full column rather than starting the next with it', () => {
    const layout = layoutText(spec({ vertical: true, text: 'あいう。え' }));
    expect(layout.glyphs.map((g) => g.column)).toEqual([0, 0, 0, 0, 1]);
  });
  it('starts a new column at a newline and is overset past the left edge', () => {
    const layout = layoutText(spec({ vertical: true, text: 'あ\nい\nう' }));
    expect(layout.glyphs.map((g) => g.column)).toEqual([0, 1, 2]);
    expect(layout.overset).toBe(true);
  });
  it('centres a short column', () => {
    const layout = layoutText(spec({ vertical: true, align: 'center', text: 'あ' }));
    expect(layout.glyphs[0]!.centerY).toBeCloseTo(50);
  });
});
