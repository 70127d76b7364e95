import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  edgesOfAnchor,
  nearestLine,
  snapRect,
  snapResize,
  snapTargets,
} from './snapping.js';

const page = { widthMm: 210, heightMm: 297, safeMarginMm: 5 };

describe('snap targets', () => {
  it('are sorted without repeats, so the nearest line is found by bisection', () => {
    const targets = snapTargets(page, [
      { x: 5, y: 10, width: 100, height: 20 },
      { x: 150, y: 10, width: 10, height: 20 },
    ]);
    expect(targets.xs).toEqual([0, 5, 55, 105, 150, 155, 160, 205, 210]);
    expect(targets.ys).toEqual([0, 5, 10, 20, 30, 148.5, 292, 297]);
    expect(nearestLine(targets.xs, 52)).toBe(55);
    expect(nearestLine(targets.xs, 2.4)).toBe(0);
    expect(nearestLine(targets.xs, 2.6)).toBe(5);
    expect(nearestLine(targets.xs, -40)).toBe(0);
    expect(nearestLine(targets.xs, 400)).toBe(210);
    expect(nearestLine([], 3)).toBeNull();
  });
});

describe('several elements moved together', () => {
  it('snap with the box around them: its edge to the safe line, a guide there', () => {
    const selection = boundsOf([
      { x: 6.5, y: 40, width: 20, height: 10 },
      { x: 30, y: 60, width: 20, height: 10 },
    ])!;
    expect(selection).toEqual({ x: 6.5, y: 40, width: 43.5, height: 30 });
    const snap = snapRect(selection, snapTargets(page, []), 2);
    expect(snap.dx).toBeCloseTo(-1.5);
    expect(snap.dy).toBe(0);
    expect(snap.guides).toEqual([{ axis: 'x', at: 5 }]);
  });

  it('no box without elements', () => {
    expect(boundsOf([])).toBeNull();
  });
});

describe('resizing snaps the moving edges', () => {
  const targets = snapTargets(page, [{ x: 120, y: 200, width: 40, height: 30 }]);

  it('the right edge to another element, the left edge staying where it is', () => {
    const resized = snapResize(
      { x: 20, y: 50, width: 98.8, height: 40 },
      edgesOfAnchor('middle-right'),
      targets,
      2,
    );
    expect(resized.box).toEqual({ x: 20, y: 50, width: 100, height: 40 });
    expect(resized.guides).toEqual([{ axis: 'x', at: 120 }]);
  });

  it('the top edge to the safe line, the bottom staying where it is', () => {
    const resized = snapResize(
      { x: 20, y: 6, width: 50, height: 44 },
      edgesOfAnchor('top-center'),
      targets,
      2,
    );
    expect(resized.box.y).toBeCloseTo(5);
    expect(resized.box.y + resized.box.height).toBeCloseTo(50);
    expect(resized.guides).toEqual([{ axis: 'y', at: 5 }]);
  });

  it('a fixed edge near a line does not snap', () => {
    // The left edge is 1 mm from the safe line but is not the one moving.
    const resized = snapResize(
      { x: 6, y: 50, width: 60, height: 40 },
      edgesOfAnchor('middle-right'),
      targets,
      2,
    );
    expect(resized).toEqual({ box: { x: 6, y: 50, width: 60, height: 40 }, guides: [] });
  });

  it('a free corner snaps on both axes', () => {
    const resized = snapResize(
      { x: 20, y: 20, width: 100.5, height: 179 },
      edgesOfAnchor('bottom-right'),
      targets,
      2,
    );
    expect(resized.box).toEqual({ x: 20, y: 20, width: 100, height: 180 });
    expect(resized.guides).toEqual([
      { axis: 'x', at: 120 },
      { axis: 'y', at: 200 },
    ]);
  });

  it('a corner keeping proportions snaps the nearer axis; the other follows the ratio', () => {
    const resized = snapResize(
      { x: 40, y: 100, width: 60, height: 40 },
      edgesOfAnchor('top-left'),
      snapTargets(page, [{ x: 38.75, y: 98.5, width: 1, height: 1 }]),
      2,
      true,
    );
    // Left edge 40 -> 39.75 (0.25 mm) is nearer than top 100 -> 99.5 (0.5 mm): x snaps, the
    // top follows the 3:2 ratio and the bottom-right corner stays.
    expect(resized.box.x).toBeCloseTo(39.75);
    expect(resized.box.width).toBeCloseTo(60.25);
    expect(resized.box.height).toBeCloseTo(60.25 / 1.5);
    expect(resized.box.y + resized.box.height).toBeCloseTo(140);
    expect(resized.guides).toEqual([{ axis: 'x', at: 39.75 }]);
  });

  it('anchors name the edges they move', () => {
    expect(edgesOfAnchor('top-left')).toEqual({
      left: true,
      right: false,
      top: true,
      bottom: false,
    });
    expect(edgesOfAnchor('middle-right')).toEqual({
      left: false,
      right: true,
      top: false,
      bottom: false,
    });
    expect(edgesOfAnchor('bottom-center')).toEqual({
      left: false,
      right: false,
      top: false,
      bottom: true,
    });
  });
});
