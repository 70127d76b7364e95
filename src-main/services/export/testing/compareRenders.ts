/**
 * Pixel comparison of two renders of the same page (the editor's and the PDF's), for tests.
 * Both are raw RGB(A) buffers of the same size; regions are pixel rectangles.
 */

export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

export interface PixelRegion {
  readonly name: string;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface RegionDifference {
  readonly name: string;
  /** Mean absolute difference per colour channel, 0-255. */
  readonly meanAbsDiff: number;
  /** Share of pixels whose largest channel difference exceeds the `strayAbove` level. */
  readonly strayFraction: number;
  /**
   * Strays as a share of the pixels drawn on (further than `strayAbove` from white in either
   * render): text covers a small part of its box, so moved text hardly changes
   * `strayFraction` but turns most of its ink into strays.
   */
  readonly inkStrayFraction: number;
}

/**
 * How far apart two renders may be. Chromium's and poppler's anti-aliasing and hinting, and the
 * editor's 320 px thumbnail (the PDF has the original), differ along edges by about a pixel:
 * a few percent of a region's pixels, a small mean. Both renders are first blurred by
 * COMPARE_BLUR_PX (Gaussian sigma in px; at 5 px per mm, 0.3 mm), which takes most of that out.
 * A photo cropped elsewhere or text moved by a millimetre changes most of its ink, and a large
 * share of its region, by far more than `strayAbove`.
 */
export interface RenderThreshold {
  readonly maxMeanAbsDiff: number;
  readonly strayAbove: number;
  readonly maxStrayFraction: number;
  readonly maxInkStrayFraction: number;
}

export const COMPARE_BLUR_PX = 1.5;

export const PRINT_MATCH_THRESHOLD: RenderThreshold = {
  maxMeanAbsDiff: 6,
  strayAbove: 64,
  maxStrayFraction: 0.015,
  maxInkStrayFraction: 0.1,
};

function assertComparable(a: RawImage, b: RawImage): void {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error(
      `renders differ in size: ${a.width}x${a.height}x${a.channels} and ${b.width}x${b.height}x${b.channels}`,
    );
  }
  if (a.channels < 3) throw new Error('renders must be RGB or RGBA');
}

/** The difference of `a` and `b` inside `region` (clamped to the image), colour channels only. */
export function regionDifference(
  a: RawImage,
  b: RawImage,
  region: PixelRegion,
  strayAbove: number,
): RegionDifference {
  assertComparable(a, b);
  const x0 = Math.max(0, Math.floor(region.left));
  const y0 = Math.max(0, Math.floor(region.top));
  const x1 = Math.min(a.width, Math.ceil(region.left + region.width));
  const y1 = Math.min(a.height, Math.ceil(region.top + region.height));
  let sum = 0;
  let stray = 0;
  let ink = 0;
  let pixels = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * a.width + x) * a.channels;
      let worst = 0;
      let drawn = false;
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(a.data[i + c]! - b.data[i + c]!);
        sum += d;
        if (d > worst) worst = d;
        if (255 - a.data[i + c]! > strayAbove || 255 - b.data[i + c]! > strayAbove) drawn = true;
      }
      if (worst > strayAbove) stray += 1;
      if (drawn) ink += 1;
      pixels += 1;
    }
  }
  return {
    name: region.name,
    meanAbsDiff: pixels === 0 ? 0 : sum / (pixels * 3),
    strayFraction: pixels === 0 ? 0 : stray / pixels,
    inkStrayFraction: ink === 0 ? 0 : stray / ink,
  };
}

/** Regions (and the whole image first) that exceed the threshold, with every region's numbers. */
export function compareRenders(
  a: RawImage,
  b: RawImage,
  regions: readonly PixelRegion[],
  threshold: RenderThreshold,
): { readonly all: readonly RegionDifference[]; readonly failing: readonly RegionDifference[] } {
  const whole = { name: 'page', left: 0, top: 0, width: a.width, height: a.height };
  const all = [whole, ...regions].map((r) => regionDifference(a, b, r, threshold.strayAbove));
  const failing = all.filter(
    (d) =>
      d.meanAbsDiff > threshold.maxMeanAbsDiff ||
      d.strayFraction > threshold.maxStrayFraction ||
      d.inkStrayFraction > threshold.maxInkStrayFraction,
  );
  return { all, failing };
}

/**
 * A diff image for people: white where the renders agree, darker grey with the difference, red
 * where a pixel is a stray (over `strayAbove`). RGB, the renders' size.
 */
export function diffImage(a: RawImage, b: RawImage, strayAbove: number): RawImage {
  assertComparable(a, b);
  const out = Buffer.alloc(a.width * a.height * 3);
  for (let p = 0; p < a.width * a.height; p++) {
    const i = p * a.channels;
    let worst = 0;
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(a.data[i + c]! - b.data[i + c]!));
    const o = p * 3;
    if (worst > strayAbove) {
      out[o] = 220;
      out[o + 1] = 0;
      out[o + 2] = 0;
    } else {
      const grey = 255 - Math.min(255, worst * 3);
      out[o] = grey;
      out[o + 1] = grey;
      out[o + 2] = grey;
    }
  }
  return { data: out, width: a.width, height: a.height, channels: 3 };
}
