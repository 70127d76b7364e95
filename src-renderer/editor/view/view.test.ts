import { describe, expect, it } from 'vitest';
import { rotatedBounds } from '../../../src-shared/geometry/boxes.js';
import { snapRect, snapTargets } from './snapping.js';
import { layoutText } from '../../../src-shared/text/textLayout.js';
import { canvasMeasure, layoutHorizontalText } from './horizontalText.js';
import { layoutVerticalText } from './verticalText.js';
import {
  centredView,
  fitView,
  pxPerMm,
  toDocument,
  wheelZoom,
  zoomAround,
  MAX_ZOOM,
} from './zoom.js';

describe('snapping', () => {
  const page = { widthMm: 210, heightMm: 297, safeMarginMm: 5 };

  it('snaps the nearest edge to the safe line within the threshold, with a guide', () => {
    const snap = snapRect({ x: 6.2, y: 100, width: 40, height: 20 }, snapTargets(page, []), 2);
    expect(snap.dx).toBeCloseTo(-1.2);
    expect(snap.dy).toBe(0);
    expect(snap.guides).toEqual([{ axis: 'x', at: 5 }]);
  });

  it('snaps centres to the page centre and to other elements, guides for every line touched', () => {
    const others = [{ x: 120, y: 50, width: 30, height: 10 }];
    const snap = snapRect({ x: 84, y: 49, width: 40, height: 8 }, snapTargets(page, others), 2);
    // centre 104 -> 105 (the page's centre); top 49 -> 50 (the other element's top)
    expect(snap.dx).toBeCloseTo(1);
    expect(snap.dy).toBeCloseTo(1);
    expect(snap.guides).toContainEqual({ axis: 'x', at: 105 });
    expect(snap.guides).toContainEqual({ axis: 'y', at: 50 });
  });

  it('does not snap beyond the threshold', () => {
    const snap = snapRect({ x: 20, y: 20, width: 10, height: 10 }, snapTargets(page, []), 2);
    expect(snap).toEqual({ dx: 0, dy: 0, guides: [] });
  });

  it('a rotated element snaps with its bounding box', () => {
    const b = rotatedBounds({ x: 0, y: 0, width: 20, height: 10 }, 90);
    expect(b.x).toBeCloseTo(5);
    expect(b.y).toBeCloseTo(-5);
    expect(b.width).toBeCloseTo(10);
    expect(b.height).toBeCloseTo(20);
  });
});

describe('vertical text layout (縦書き)', () => {
  const box = {
    fontFamily: 'IPAexMincho' as const,
    align: 'start' as const,
    vertical: true,
  };
  // 5 mm characters: 72 * 5 / 25.4 pt.
  const sizePt = (5 * 72) / 25.4;

  it('runs top to bottom, columns right to left, wrapping at the box height', () => {
    const { glyphs } = layoutVerticalText({
      ...box,
      text: '卒業おめでとう',
      width: 30,
      height: 25,
      sizePt,
      lineHeight: 1.5,
    });
    expect(glyphs.map((g) => g.char).join('')).toBe('卒業おめでとう');
    // 5 rows per column: 卒業おめで | とう
    expect(glyphs.slice(0, 5).map((g) => g.centerY)).toEqual([2.5, 7.5, 12.5, 17.5, 22.5]);
    expect(new Set(glyphs.slice(0, 5).map((g) => g.centerX)).size).toBe(1);
    expect(glyphs[0]!.centerX).toBeCloseTo(30 - 7.5 / 2);
    expect(glyphs[5]).toMatchObject({ char: 'と', centerY: 2.5 });
    expect(glyphs[5]!.centerX).toBeCloseTo(glyphs[0]!.centerX - 7.5);
  });

  it('places every cell where the PDF export prints it (the shared layout), Latin turned', () => {
    const spec = {
      ...box,
      text: '令和8年度\n卒業アルバム',
      width: 20,
      height: 40,
      sizePt,
      lineHeight: 1.5,
      align: 'center' as const,
    };
    const shared = layoutText(spec).glyphs;
    const { glyphs } = layoutVerticalText(spec);
    expect(glyphs.map((g) => [g.char, g.centerX, g.centerY])).toEqual(
      shared.map((g) => [g.char, g.centerX, g.centerY]),
    );
    expect(glyphs.find((g) => g.char === '8')?.rotated).toBe(true);
  });

  it('leaves out the columns that do not fit, as the PDF does', () => {
    const { glyphs } = layoutVerticalText({
      ...box,
      text: 'あ\nい\nう',
      width: 10,
      height: 20,
      sizePt,
      lineHeight: 1,
    });
    expect(glyphs.map((g) => g.char)).toEqual(['あ', 'い']);
  });

  it('a new line starts a new column; long marks turn, full stops shift', () => {
    const { glyphs } = layoutVerticalText({
      ...box,
      text: 'ケーキ\n。',
      width: 20,
      height: 50,
      sizePt: (4 * 72) / 25.4,
      lineHeight: 1,
    });
    expect(glyphs.map((g) => [g.char, g.rotated, g.shifted])).toEqual([
      ['ケ', false, false],
      ['ー', true, false],
      ['キ', false, false],
      ['。', false, true],
    ]);
    // The full stop moves up and right by 2/3 em, where the font's vertical form has it.
    expect(glyphs[3]!.centerY).toBeCloseTo(2 - (4 * 2) / 3);
    expect(glyphs[3]!.centerX).toBeCloseTo(glyphs[0]!.centerX - 4 + (4 * 2) / 3);
  });
});

describe('horizontal text layout', () => {
  const box = {
    fontFamily: 'IPAexGothic' as const,
    sizePt: (4 * 72) / 25.4, // 4 mm characters
    lineHeight: 1.5,
    vertical: false,
    width: 22,
    height: 13,
  };
  // A canvas stand-in: full-width characters one em, others half (at the 100 px it measures).
  const context = {
    font: '',
    measureText: (text: string) =>
      ({ width: [...text].reduce((w, c) => w + (/[ -~]/.test(c) ? 50 : 100), 0) }) as TextMetrics,
  };

  it('measures in mm at the box size from the canvas, in the box font', () => {
    const measure = canvasMeasure(context);
    expect(measure('卒業 A', 'IPAexMincho', 4)).toBeCloseTo(4 + 4 + 2 + 2);
    expect(context.font).toBe('100px IPAexMincho');
  });

  it('breaks and justifies as the PDF does (禁則), and leaves out lines that do not fit', () => {
    const spec = {
      ...box,
      align: 'justify' as const,
      text: 'おめでとう、ございます',
    };
    const lines = layoutHorizontalText(spec, canvasMeasure(context));
    const shared = layoutText(spec, canvasMeasure(context));
    // 5 characters fit 22 mm; 、 may not start a line, so it stays with the line before.
    expect(lines.map((l) => l.text)).toEqual(['おめでと', 'う、ござい']);
    expect(lines).toEqual(shared.lines.slice(0, 2));
    expect(shared.lines.length).toBeGreaterThan(2);
    expect(lines[0]!.charSpacing).toBeCloseTo((22 - 16) / 3);
  });
});

describe('zoom', () => {
  it('100 % is actual size on a 96 DPI screen', () => {
    expect(pxPerMm(1)).toBeCloseTo(96 / 25.4);
  });

  it('fit shows the whole spread centred', () => {
    const view = fitView(
      { width: 1000, height: 600 },
      { x: -3, y: -3, width: 426, height: 303 },
      20,
    );
    const scale = pxPerMm(view.zoom);
    expect(303 * scale).toBeCloseTo(560);
    expect(view.x + (-3 + 213) * scale).toBeCloseTo(500);
    expect(
      centredView({ width: 100, height: 100 }, { x: 0, y: 0, width: 10, height: 10 }, 1).x,
    ).toBeCloseTo(50 - 5 * pxPerMm(1));
  });

  it('zooming keeps the point under the cursor in place', () => {
    const view = { zoom: 0.8, x: 40, y: 30 };
    const pointer = { x: 300, y: 200 };
    const before = toDocument(view, pointer);
    const after = zoomAround(view, wheelZoom(view.zoom, -200), pointer);
    expect(after.zoom).toBeGreaterThan(view.zoom);
    const same = toDocument(after, pointer);
    expect(same.x).toBeCloseTo(before.x);
    expect(same.y).toBeCloseTo(before.y);
    expect(zoomAround(view, 100, pointer).zoom).toBe(MAX_ZOOM);
  });
});
