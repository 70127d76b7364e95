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
    // One column along the square's edge half-covered in one render.
    for (let y = 35; y < 55; y++) b.data.fill(128, (y * 100 + 55) * 3, (y * 100 + 55) * 3 + 3);
    expect(compareRenders(a, b, [square], PRINT_MATCH_THRESHOLD).failing).toEqual([]);
  });

  it('fails the region of an element moved by 3 px, though the whole page barely changes', () => {
    const { failing } = compareRenders(
      withSquare(35, 35),
      withSquare(38, 35),
      [square],
      PRINT_MATCH_THRESHOLD,
    );
    expect(failing.map((d) => d.name)).toEqual(['square']);
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
