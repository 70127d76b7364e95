import { describe, expect, it } from 'vitest';
import { sampleAlbum } from '../model/fixtures.js';
import { DEFAULT_PLACEMENT } from '../model/page.js';
import { backgroundBox, placedBackgroundRect } from './background.js';

describe('background photo placement', () => {
  const album = sampleAlbum(); // A4 (210 x 297), 3 mm bleed
  const landscape = { widthPx: 3000, heightPx: 2000 };

  it('covers the bleed box, not the trim', () => {
    expect(backgroundBox(album)).toEqual({ x: -3, y: -3, width: 216, height: 303 });
  });

  it('fills the bleed box by its height and centres the crop on it', () => {
    const r = placedBackgroundRect(album, landscape, DEFAULT_PLACEMENT);
    expect(r.height).toBeCloseTo(303);
    expect(r.width).toBeCloseTo(454.5);
    expect(r.y).toBeCloseTo(-3);
    // Centred on the bleed box's centre (105 mm across the trim).
    expect(r.x + r.width / 2).toBeCloseTo(105);
  });

  it('scales about the centre and moves by the offsets in mm', () => {
    const placement = { fit: 'fit' as const, scale: 2, offsetXMm: 12, offsetYMm: -7 };
    const r = placedBackgroundRect(album, landscape, placement);
    // fit: the width matches the bleed box's, then doubled.
    expect(r.width).toBeCloseTo(432);
    expect(r.height).toBeCloseTo(288);
    expect(r.x + r.width / 2).toBeCloseTo(105 + 12);
    expect(r.y + r.height / 2).toBeCloseTo(148.5 - 7);
  });
});
