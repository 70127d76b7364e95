import { describe, expect, it } from 'vitest';
import { samplePage } from './fixtures.js';
import { elementAt, elementContains, elementsInRect, frameAt } from './hitTest.js';
import { DEFAULT_PLACEMENT, PageSchema, type Element } from './page.js';

const box = (x: number, y: number, width: number, height: number, rotation = 0) => ({
  x,
  y,
  width,
  height,
  rotation,
});

const frame = (id: string, at: ReturnType<typeof box>, locked = false): Element => ({
  id,
  kind: 'image',
  ...at,
  locked,
  photoId: null,
  placement: DEFAULT_PLACEMENT,
});

/**
 * In page order (later is drawn over earlier):
 * - photo-back: frame 10..110 × 10..70
 * - caption: text 20..80 × 50..80, over photo-back
 * - photo-top: frame 60..100 × 40..80, over both
 * - tilted: frame 150..190 × 100..120 turned 90°: it covers 160..180 × 90..130
 * - diamond: rectangle 100..120 × 200..220 turned 45°: corners at (110, 195.86), (124.14, 210), ...
 * - locked: a locked frame 10..40 × 150..180
 */
const page = PageSchema.parse(
  samplePage({
    elements: [
      frame('photo-back', box(10, 10, 100, 60)),
      {
        id: 'caption',
        kind: 'text',
        ...box(20, 50, 60, 30),
        locked: false,
        text: '運動会',
        fontFamily: 'IPAexGothic',
        sizePt: 12,
        color: '#1a1a1a',
        align: 'start',
        lineHeight: 1.5,
        vertical: false,
      },
      frame('photo-top', box(60, 40, 40, 40)),
      frame('tilted', box(150, 100, 40, 20, 90)),
      {
        id: 'diamond',
        kind: 'shape',
        ...box(100, 200, 20, 20, 45),
        locked: false,
        shape: 'rect',
        fill: '#dfe7f5',
        stroke: null,
      },
      frame('locked', box(10, 150, 30, 30), true),
    ],
  }),
);

describe('elementAt and frameAt', () => {
  // [x, y, topmost element, topmost frame, why]
  const table: [number, number, string | null, string | null, string][] = [
    [30, 20, 'photo-back', 'photo-back', 'one frame alone'],
    [30, 60, 'caption', 'photo-back', 'text over a frame: the frame under it takes the photo'],
    [70, 60, 'photo-top', 'photo-top', 'three overlap: the last in page order is on top'],
    [50, 75, 'caption', null, 'text alone'],
    [10, 10, 'photo-back', 'photo-back', "on a frame's corner"],
    [110, 70, 'photo-back', 'photo-back', 'on the opposite corner'],
    [110, 40, 'photo-back', 'photo-back', 'on the right edge'],
    [110.001, 40, null, null, 'just past the right edge'],
    [170, 92, 'tilted', 'tilted', 'in the turned frame, outside its upright box'],
    [185, 110, null, null, 'in the upright box, outside the turned frame'],
    [160, 90, 'tilted', 'tilted', "on the turned frame's corner"],
    [180, 130, 'tilted', 'tilted', "on the turned frame's opposite corner"],
    [160, 130, 'tilted', 'tilted', 'on a corner that turning puts a hair outside'],
    [180, 90, 'tilted', 'tilted', 'on the last corner, likewise'],
    [110, 197, 'diamond', null, 'in the diamond near its top corner'],
    [102, 202, null, null, "in the square's upright corner, cut off by the turn"],
    [20, 160, 'locked', 'locked', 'a locked frame still takes a photo'],
    [-5, -5, null, null, 'off every element'],
  ];

  it.each(table)('(%d, %d) is on %s, frame %s: %s', (x, y, element, frameId) => {
    expect(elementAt(page, x, y)?.id ?? null).toBe(element);
    expect(frameAt(page, x, y)?.id ?? null).toBe(frameId);
  });

  it('takes the elements a filter accepts only', () => {
    const shapes = (e: Element): e is Extract<Element, { kind: 'shape' }> => e.kind === 'shape';
    expect(elementAt(page, 110, 210, shapes)?.id).toBe('diamond');
    expect(elementAt(page, 70, 60, shapes)).toBeNull();
  });

  it('knows no element on an empty page', () => {
    expect(frameAt({ elements: [] }, 10, 10)).toBeNull();
  });
});

describe('elementContains', () => {
  const turned = frame('t', box(0, 0, 40, 20, -30));
  // A 40 × 20 box turned 30° counter-clockwise about its centre (20, 10); its corners are at
  // (-2.32, 11.34), (32.32, -8.66), (42.32, 8.66) and (7.68, 28.66).
  const table: [number, number, boolean][] = [
    [20, 10, true], // the centre
    [32.284, -8.524, true], // just inside the top-right corner, above the upright box
    [32.357, -8.797, false], // just past it
    [7.716, 28.524, true], // just inside the bottom-left corner, below the upright box
    [7.643, 28.797, false], // just past it
    [24.975, 18.617, true], // just inside the bottom edge
    [25.025, 18.704, false], // just past it
    [40, 20, false], // the upright box's corner, cut off by the turn
    [0, 0, false], // the upright box's other corner
  ];
  it.each(table)('(%d, %d): %s', (x, y, inside) => {
    expect(elementContains(turned, x, y)).toBe(inside);
  });
});

describe('elementsInRect', () => {
  // [rectangle, the elements in page order, why]
  const table: [ReturnType<typeof box>, string[], string][] = [
    [box(0, 0, 15, 15), ['photo-back'], "over one frame's corner"],
    [box(55, 45, 10, 10), ['photo-back', 'caption', 'photo-top'], 'over three, in page order'],
    [box(110, 0, 5, 5), [], "touching a frame's edge only"],
    [box(175, 85, 3, 7), ['tilted'], 'over the turned frame, outside its upright box'],
    [box(182, 95, 5, 5), [], 'in the upright box, beside the turned frame'],
    [box(96, 196, 2, 2), ['diamond'], 'the band goes by the upright box around a turned one'],
    [
      box(0, 0, 300, 300),
      ['photo-back', 'caption', 'photo-top', 'tilted', 'diamond', 'locked'],
      'all, locked too',
    ],
  ];
  it.each(table)('%o holds %o: %s', (rect, ids) => {
    expect(elementsInRect(page, rect).map((e) => e.id)).toEqual(ids);
  });
});
