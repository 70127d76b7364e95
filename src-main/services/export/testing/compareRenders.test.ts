import { describe, expect, it } from 'vitest';
import {
  compareRenders,
  diffImage,
  PRINT_MATCH_THRESHOLD,
  type RawImage,
} from './compareRenders.js';

/** A white 100x100 RGB image with a black square at (x, y), 20 px wide. */
function withSquare(x: number, y: number): RawImage {
  const width = 100;
  const height = 100;
  const data = Buffer.alloc(width * height * 3, 255);
  for (let yy = y; yy < y + 20; yy++) {
    for (let xx = x; xx < x + 20; xx++)
      data.fill(0, (yy * width + xx) * 3, (yy * width + xx) * 3 + 3);
  }
  return { data, width, height, channels: 3 };
}

const square = { name: 'square', left: 30, top: 30, width: 30, height: 30 };

describe('compareRenders', () => {
  it('passes identical renders', () => {
    const { failing, all } = compareRenders(
      withSquare(35, 35),
      withSquare(35, 35),
      [square],
      PRINT_MATCH_THRESHOLD,
    );
    expect(failing).toEqual([]);
    expect(all.map((d) => d.meanAbsDiff)).toEqual([0, 0]);
  });

  it('passes a soft edge (anti-aliasing) that differs a little', () => {
    const a = withSquare(35, 35);
    const b = withSquare(35, 35);
    // One column along the square's edge lightly covered in one render.
    for (let y = 35; y < 55; y++) b.data.fill(200, (y * 100 + 55) * 3, (y * 100 + 55) * 3 + 3);
    expect(compareRenders(a, b, [square], PRINT_MATCH_THRESHOLD).failing).toEqual([]);
  });

  it('fails the region of an element moved by 3 px', () => {
    const { failing } = compareRenders(
      withSquare(35, 35),
      withSquare(38, 35),
      [square],
      PRINT_MATCH_THRESHOLD,
    );
    expect(failing.map((d) => d.name)).toContain('square');
  });

  it('fails thin strokes moved by 2 px by their ink, though few pixels of the box change', () => {
    const line = (x: number): RawImage => {
      const img = withSquare(0, 0);
      img.data.fill(255);
      for (let y = 10; y < 90; y++) img.data.fill(0, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
      return img;
    };
    const box = { name: 'text', left: 0, top: 0, width: 100, height: 100 };
    const { all, failing } = compareRenders(line(50), line(52), [box], PRINT_MATCH_THRESHOLD);
    expect(all[1]!.strayFraction).toBeLessThan(PRINT_MATCH_THRESHOLD.maxStrayFraction * 2);
    expect(all[1]!.inkStrayFraction).toBe(1);
    expect(failing.map((d) => d.name)).toContain('text');
  });

  it('refuses renders of different sizes', () => {
    const small = { ...withSquare(0, 0), width: 50, height: 200 };
    expect(() => compareRenders(withSquare(0, 0), small, [], PRINT_MATCH_THRESHOLD)).toThrow(
      /differ in size/,
    );
  });

  it('draws strays red and agreement white', () => {
    const diff = diffImage(withSquare(35, 35), withSquare(38, 35), 64);
    expect([...diff.data.subarray(0, 3)]).toEqual([255, 255, 255]);
    const stray = (40 * 100 + 36) * 3;
    expect([...diff.data.subarray(stray, stray + 3)]).toEqual([220, 0, 0]);
  });
});
