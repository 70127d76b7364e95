import { describe, expect, it } from 'vitest';
import { bleedBox, containsRect, safeBox, trimBox } from './boxes.js';
import { pageSide, spreadsFor } from './spreads.js';
import { effectivePpi, photoResolution, placedPhotoRect, resolutionLevel } from './resolution.js';
import { mmToPt, mmToPx, ptToMm, pxToMm } from '../model/units.js';
import { sampleAlbum } from '../model/fixtures.js';
import { DEFAULT_PLACEMENT } from '../model/page.js';

describe('units', () => {
  it('converts mm, pt and px', () => {
    expect(mmToPt(25.4)).toBeCloseTo(72);
    expect(ptToMm(72)).toBeCloseTo(25.4);
    expect(mmToPx(25.4, 1)).toBeCloseTo(96);
    expect(mmToPx(25.4, 2)).toBeCloseTo(192);
    expect(pxToMm(mmToPx(123.4, 0.37), 0.37)).toBeCloseTo(123.4);
  });
});

describe('page boxes', () => {
  const album = sampleAlbum(); // A4, 3 mm bleed, 5 mm safe margin

  it('derives trim, bleed and safe boxes in mm from the trim origin', () => {
    expect(trimBox(album)).toEqual({ x: 0, y: 0, width: 210, height: 297 });
    expect(bleedBox(album)).toEqual({ x: -3, y: -3, width: 216, height: 303 });
    expect(safeBox(album)).toEqual({ x: 5, y: 5, width: 200, height: 287 });
  });

  it('nests safe inside trim inside bleed', () => {
    expect(containsRect(bleedBox(album), trimBox(album))).toBe(true);
    expect(containsRect(trimBox(album), safeBox(album))).toBe(true);
    expect(containsRect(safeBox(album), trimBox(album))).toBe(false);
  });
});

describe('spreads', () => {
  it('left binding: page 1 alone on the right, then even pages on the left', () => {
    expect(spreadsFor(6, 'left')).toEqual([
      { left: null, right: 1 },
      { left: 2, right: 3 },
      { left: 4, right: 5 },
      { left: 6, right: null },
    ]);
  });

  it('right binding (縦書き): page 1 alone on the left, then even pages on the right', () => {
    expect(spreadsFor(5, 'right')).toEqual([
      { left: 1, right: null },
      { left: 3, right: 2 },
      { left: 5, right: 4 },
    ]);
  });

  it('handles tiny albums and rejects nonsense counts', () => {
    expect(spreadsFor(0, 'left')).toEqual([]);
    expect(spreadsFor(1, 'right')).toEqual([{ left: 1, right: null }]);
    expect(() => spreadsFor(-1, 'left')).toThrow(RangeError);
    expect(() => spreadsFor(2.5, 'left')).toThrow(RangeError);
  });

  it('places every page exactly once, on the side pageSide says', () => {
    for (const binding of ['left', 'right'] as const) {
      for (let count = 1; count <= 40; count++) {
        const seen: number[] = [];
        for (const spread of spreadsFor(count, binding)) {
          if (spread.left !== null) {
            seen.push(spread.left);
            expect(pageSide(spread.left, binding)).toBe('left');
          }
          if (spread.right !== null) {
            seen.push(spread.right);
            expect(pageSide(spread.right, binding)).toBe('right');
          }
        }
        expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      }
    }
  });
});

describe('effective resolution', () => {
  const frame = { width: 101.6, height: 76.2 }; // 4 x 3 inches
  const photo = { widthPx: 4000, heightPx: 3000 }; // 12 MP, 4:3

  it('fills a frame of the same aspect exactly', () => {
    expect(placedPhotoRect(frame, photo, DEFAULT_PLACEMENT)).toEqual({
      x: 0,
      y: 0,
      width: 101.6,
      height: expect.closeTo(76.2, 9) as number,
    });
    expect(effectivePpi(frame, photo, DEFAULT_PLACEMENT)).toBeCloseTo(1000);
  });

  it('scales down with zoom and covers or contains by fit mode', () => {
    expect(effectivePpi(frame, photo, { ...DEFAULT_PLACEMENT, scale: 2 })).toBeCloseTo(500);
    const square = { width: 76.2, height: 76.2 }; // 3 x 3 inches
    // fill: height matches (3 in for 3000 px), the sides are cropped.
    expect(effectivePpi(square, photo, DEFAULT_PLACEMENT)).toBeCloseTo(1000);
    // fit: width matches (3 in for 4000 px), the photo is letterboxed.
    const fit = { ...DEFAULT_PLACEMENT, fit: 'fit' as const };
    expect(effectivePpi(square, photo, fit)).toBeCloseTo(4000 / 3);
    expect(placedPhotoRect(square, photo, fit).height).toBeCloseTo(57.15);
  });

  it('moves the photo by its offset without changing resolution', () => {
    const moved = { ...DEFAULT_PLACEMENT, offsetXMm: 10, offsetYMm: -5 };
    expect(placedPhotoRect(frame, photo, moved)).toMatchObject({ x: 10, y: -5 });
    expect(effectivePpi(frame, photo, moved)).toBeCloseTo(1000);
  });

  it('classifies against the 300 and 200 PPI thresholds', () => {
    // A 1200 x 900 px photo over a full A4 width (8.27 in): about 145 PPI.
    const small = { widthPx: 1200, heightPx: 900 };
    const ppi = effectivePpi({ width: 210, height: 157.5 }, small, DEFAULT_PLACEMENT);
    expect(ppi).toBeCloseTo(145.14, 1);
    expect(resolutionLevel(ppi)).toBe('error');
    expect(resolutionLevel(200)).toBe('warning');
    expect(resolutionLevel(299.9)).toBe('warning');
    expect(resolutionLevel(300)).toBe('ok');
  });

  it('states one whole ppi everywhere: rounded down, with the level of that number', () => {
    const square = { width: 100, height: 100 };
    // 499 px across 100 mm: 126.75 ppi, which preflight read as 126 and the badge as 127.
    const r = photoResolution(square, { widthPx: 499, heightPx: 499 }, DEFAULT_PLACEMENT);
    expect(r).toEqual({ ppi: 126, level: 'error' });
    // 1181 px across 100 mm: 299.97 ppi never reads "300 ppi" beside a warning.
    expect(photoResolution(square, { widthPx: 1181, heightPx: 1181 }, DEFAULT_PLACEMENT)).toEqual({
      ppi: 299,
      level: 'warning',
    });
    // Exactly 300 ppi (3 in for 900 px) stays 300 and ok, whatever floating point makes of it.
    const inches = { width: 76.2, height: 76.2 };
    expect(photoResolution(inches, { widthPx: 900, heightPx: 900 }, DEFAULT_PLACEMENT)).toEqual({
      ppi: 300,
      level: 'ok',
    });
  });
});
