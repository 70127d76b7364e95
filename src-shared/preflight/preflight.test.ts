import { describe, expect, it } from 'vitest';
import { photoResolution } from '../geometry/resolution.js';
import { sampleAlbum } from '../model/fixtures.js';
import {
  DEFAULT_PLACEMENT,
  PAGE_SCHEMA_VERSION,
  type Element,
  type Page,
  type TextBox,
} from '../model/page.js';
import {
  elementBounds,
  preflightAlbum,
  preflightPage,
  summarize,
  type PreflightPhoto,
} from './preflight.js';

const album = sampleAlbum(); // A4 210x297, bleed 3, safe margin 5

const page = (elements: Element[], index = 0): Page => ({
  schemaVersion: PAGE_SCHEMA_VERSION,
  id: `p${index + 1}`,
  albumId: album.id,
  index,
  version: 0,
  background: { kind: 'color', color: '#ffffff' },
  elements,
});

const frame = (
  id: string,
  photoId: string | null,
  rect: { x: number; y: number; width: number; height: number },
  rotation = 0,
): Element => ({
  id,
  kind: 'image',
  ...rect,
  rotation,
  locked: false,
  photoId,
  placement: DEFAULT_PLACEMENT,
});

const text = (id: string, overrides: Partial<TextBox> = {}): TextBox => ({
  id,
  kind: 'text',
  x: 20,
  y: 20,
  width: 100,
  height: 20,
  rotation: 0,
  locked: false,
  text: '卒業おめでとう',
  fontFamily: 'IPAexGothic',
  sizePt: 12,
  color: '#000000',
  align: 'start',
  lineHeight: 1.5,
  vertical: false,
  ...overrides,
});

const photos: Record<string, PreflightPhoto> = {
  // 3000 px across 100 mm (3.94 in): 762 PPI
  sharp: { width: 3000, height: 2000, state: 'ready' },
  // 1000 px across 100 mm: 254 PPI
  soft: { width: 1000, height: 667, state: 'ready' },
  // 600 px across 100 mm: 152 PPI
  blurry: { width: 600, height: 400, state: 'ready' },
  gone: { width: 3000, height: 2000, state: 'expired' },
  broken: { width: 0, height: 0, state: 'failed' },
};
const lookup = (id: string) => photos[id] ?? null;
const check = (elements: Element[]) =>
  preflightPage(album, page(elements), 1, lookup, { signature: 4 });
const codes = (elements: Element[]) =>
  check(elements).map((i) => [i.code, i.severity, i.elementId]);

const inside = { x: 20, y: 20, width: 100, height: 66.7 };

describe('preflight: effective resolution', () => {
  it('passes a photo at 300 PPI or more', () => {
    expect(check([frame('a', 'sharp', inside)])).toEqual([]);
  });
  it('warns below 300 PPI and names the element and the PPI', () => {
    const [issue] = check([frame('a', 'soft', inside)]);
    expect(issue).toMatchObject({
      code: 'resolution_low',
      severity: 'warning',
      pageId: 'p1',
      pageNumber: 1,
      elementId: 'a',
    });
    expect(issue!.values.ppi).toBe(254);
  });
  it('reports the ppi the editor shows for the same frame (photoResolution, rounded down)', () => {
    const square = { x: 20, y: 20, width: 100, height: 100 };
    const [issue] = preflightPage(
      album,
      page([frame('a', 'odd', square)]),
      1,
      (id) => (id === 'odd' ? { width: 499, height: 499, state: 'ready' } : null),
      { signature: 4 },
    );
    const shown = photoResolution(square, { widthPx: 499, heightPx: 499 }, DEFAULT_PLACEMENT);
    expect(issue!.values.ppi).toBe(shown.ppi);
    expect(issue!.values.ppi).toBe(126);
  });
  it('is an error below 200 PPI', () => {
    expect(codes([frame('a', 'blurry', inside)])).toEqual([['resolution_too_low', 'error', 'a']]);
  });
  it('counts the zoom of the placement (scale 2 halves the PPI)', () => {
    const zoomed = {
      ...frame('a', 'sharp', inside),
      placement: { ...DEFAULT_PLACEMENT, scale: 3 },
    } as Element;
    expect(codes([zoomed])).toEqual([['resolution_low', 'warning', 'a']]);
  });
  it('checks a background photo too (no element to select)', () => {
    const p: Page = {
      ...page([]),
      background: { kind: 'photo', photoId: 'blurry', placement: DEFAULT_PLACEMENT },
    };
    const issues = preflightPage(album, p, 1, lookup, { signature: 4 });
    expect(issues.map((i) => [i.code, i.elementId])).toEqual([['resolution_too_low', null]]);
  });
});

describe('preflight: bleed', () => {
  it('passes a full-bleed photo that reaches the bleed edge, and one well inside the trim', () => {
    expect(
      check([
        frame('a', 'sharp', { x: -3, y: -3, width: 216, height: 150 }),
        frame('b', 'sharp', inside),
      ]),
    ).toEqual([]);
  });
  it('flags a frame that stops at the trim edge (no bleed)', () => {
    expect(codes([frame('a', 'sharp', { x: 0, y: 0, width: 210, height: 150 })])).toEqual([
      ['bleed_short', 'error', 'a'],
    ]);
  });
  it('flags a frame that reaches into the bleed but not to its edge', () => {
    expect(codes([frame('a', 'sharp', { x: -1.5, y: 100, width: 100, height: 66.7 })])).toEqual([
      ['bleed_short', 'error', 'a'],
    ]);
  });
  it('flags a frame just inside the trim (meant to bleed) but not one 5 mm in', () => {
    expect(codes([frame('a', 'sharp', { x: 0.5, y: 100, width: 100, height: 66.7 })])).toEqual([
      ['bleed_short', 'error', 'a'],
    ]);
    expect(codes([frame('a', 'sharp', { x: 5, y: 100, width: 100, height: 66.7 })])).toEqual([]);
  });
  it('flags a filled shape on the right edge, not an outline or a line', () => {
    const shape = (id: string, fill: string | null, kind: 'rect' | 'line'): Element => ({
      id,
      kind: 'shape',
      shape: kind,
      x: 110,
      y: 50,
      width: 100,
      height: 10,
      rotation: 0,
      locked: false,
      fill,
      stroke: fill ? null : { color: '#000000', widthMm: 0.3 },
    });
    expect(
      codes([shape('s', '#ff0000', 'rect'), shape('o', null, 'rect'), shape('l', null, 'line')]),
    ).toEqual([['bleed_short', 'error', 's']]);
  });
  it('uses the rotated bounds: a frame 4 mm in, turned 10°, reaches into the bleed', () => {
    const rect = { x: 4, y: 100, width: 100, height: 66.7 };
    expect(codes([frame('a', 'sharp', rect)])).toEqual([]);
    const turned = frame('a', 'sharp', rect, 10);
    expect(elementBounds(turned).x).toBeCloseTo(-1.03, 2);
    expect(codes([turned])).toEqual([['bleed_short', 'error', 'a']]);
  });
});

describe('preflight: text', () => {
  it('warns about text outside the safe area', () => {
    expect(codes([text('t', { x: 3, y: 20 })])).toEqual([
      ['text_outside_safe_area', 'warning', 't'],
    ]);
    expect(codes([text('t', { x: 5, y: 5 })])).toEqual([]);
  });
  it('flags overset text: more lines than the box holds', () => {
    // 12 pt = 4.23 mm; 100 mm holds 23 full-width characters per line, 20 mm three lines.
    expect(codes([text('t', { text: 'あ'.repeat(69) })])).toEqual([]);
    expect(codes([text('t', { text: 'あ'.repeat(70) })])).toEqual([['text_overset', 'error', 't']]);
  });
  it('flags overset vertical text: more columns than the box is wide', () => {
    // 10 mm high: two glyphs per column; columns 6.35 mm apart, 20 mm wide: three columns.
    const box = { vertical: true, width: 20, height: 10 };
    expect(codes([text('t', { ...box, text: 'あいうえおか' })])).toEqual([]);
    expect(codes([text('t', { ...box, text: 'あいうえおかき' })])).toEqual([
      ['text_overset', 'error', 't'],
    ]);
  });
  it('measures with the function passed in', () => {
    const wide = () => 1000;
    const issues = preflightPage(album, page([text('t')]), 1, lookup, {
      signature: 4,
      measure: wide,
    });
    expect(issues.map((i) => i.code)).toEqual(['text_overset']);
  });
  it('ignores an empty text box', () => {
    expect(codes([text('t', { text: '  ', x: -50 })])).toEqual([]);
  });
});

describe('preflight: frames and photos', () => {
  it('warns about an empty frame', () => {
    expect(codes([frame('a', null, inside)])).toEqual([['empty_frame', 'warning', 'a']]);
  });
  it('is an error when the photo is missing, failed or expired', () => {
    expect(
      codes([frame('a', 'nope', inside), frame('b', 'broken', inside), frame('c', 'gone', inside)]),
    ).toEqual([
      ['photo_missing', 'error', 'a'],
      ['photo_missing', 'error', 'b'],
      ['photo_expired', 'error', 'c'],
    ]);
  });
});

describe('preflight: the album', () => {
  const pages = (n: number) => Array.from({ length: n }, (_, i) => page([], i));
  it('requires a multiple of the signature, configurable', () => {
    expect(preflightAlbum(album, pages(24), lookup, { signature: 4 })).toEqual([]);
    const [issue] = preflightAlbum(album, pages(26), lookup, { signature: 4 });
    expect(issue).toMatchObject({ code: 'page_count_signature', severity: 'error', pageId: null });
    expect(issue!.values).toEqual({ pageCount: 26, signature: 4, nextValid: 28 });
    expect(preflightAlbum(album, pages(26), lookup, { signature: 2 })).toEqual([]);
    expect(preflightAlbum(album, pages(24), lookup, { signature: 16 })[0]!.values.nextValid).toBe(
      32,
    );
  });
  it('numbers issues by page order and summarises them', () => {
    const second = page([frame('x', 'blurry', inside)], 1);
    const first = page([frame('y', null, inside)], 0);
    const issues = preflightAlbum(album, [second, first], lookup, { signature: 2 });
    expect(issues.map((i) => [i.pageNumber, i.elementId])).toEqual([
      [1, 'y'],
      [2, 'x'],
    ]);
    expect(summarize(issues)).toEqual({ errors: 1, warnings: 1 });
  });
});
