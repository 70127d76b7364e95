import { describe, expect, it } from 'vitest';
import { samplePage } from '../../../src-shared/model/fixtures.js';
import type { Element, Page } from '../../../src-shared/model/page.js';
import { PageSchema } from '../../../src-shared/model/page.js';
import { performAction, type ActionArgs, type ActionName } from './actions.js';
import { applyDeltas, diffPage, invertDeltas } from './elementDeltas.js';

const page = samplePage();
const pages = { [page.id]: page };
const ids = (p: Page | undefined) => p?.elements.map((e) => e.id);

const rect: Element = {
  id: 'rect-1',
  kind: 'shape',
  shape: 'rect',
  x: 10,
  y: 10,
  width: 30,
  height: 20,
  rotation: 0,
  locked: false,
  fill: '#ff0000',
  stroke: null,
};

/** Every action, then its inverse: the page is back exactly as it was. */
const cases: { [N in ActionName]: ActionArgs[N] } = {
  addElement: { pageId: 'page-1', element: rect },
  move: { pageId: 'page-1', patches: [{ id: 'title-1', patch: { x: 30, y: 40 } }] },
  nudge: { pageId: 'page-1', ids: ['title-1', 'frame-1'], dxMm: 1, dyMm: -1 },
  transform: { pageId: 'page-1', patches: [{ id: 'frame-1', patch: { width: 50, rotation: 15 } }] },
  setProperties: { pageId: 'page-1', patches: [{ id: 'title-1', patch: { vertical: true } }] },
  adjustPhoto: {
    pageId: 'page-1',
    patches: [
      {
        id: 'frame-1',
        patch: { placement: { fit: 'fill', scale: 2, offsetXMm: 3, offsetYMm: 0 } },
      },
    ],
  },
  placePhoto: { pageId: 'page-1', patches: [{ id: 'frame-1', patch: { photoId: 'photo-9' } }] },
  setLocked: { pageId: 'page-1', ids: ['rule-1'], locked: false },
  deleteElements: { pageId: 'page-1', ids: ['title-1'] },
  duplicate: { pageId: 'page-1', ids: ['title-1'], newIds: ['title-2'], offsetMm: 5 },
  paste: { pageId: 'page-1', elements: [rect] },
  zOrder: { pageId: 'page-1', ids: ['frame-1'], to: 'front' },
  setBackground: {
    pageId: 'page-1',
    background: {
      kind: 'photo',
      photoId: 'photo-9',
      placement: { fit: 'fill', scale: 1.2, offsetXMm: 4, offsetYMm: 0 },
    },
  },
  frameToBackground: { pageId: 'page-1', id: 'frame-1' },
};

describe('actions and their inverses', () => {
  for (const name of Object.keys(cases) as ActionName[]) {
    it(`${name}: changes the page, and the inverse deltas restore it`, () => {
      const result = performAction(pages, name, cases[name] as never);
      const after = result.pages['page-1'];
      expect(after).toBeDefined();
      expect(PageSchema.safeParse(after).success).toBe(true);
      const deltas = diffPage(page, after!);
      expect(deltas.length).toBeGreaterThan(0);
      expect(applyDeltas(pages, deltas)['page-1']).toEqual(after);
      expect(applyDeltas({ 'page-1': after! }, invertDeltas(deltas))['page-1']).toEqual(page);
    });
  }

  it('locked elements are not moved, nudged, resized or deleted', () => {
    for (const name of ['move', 'transform'] as const) {
      const r = performAction(pages, name, {
        pageId: 'page-1',
        patches: [{ id: 'rule-1', patch: { x: 99 } }],
      });
      expect(r.pages['page-1']?.elements.find((e) => e.id === 'rule-1')?.x).toBe(20);
    }
    const nudged = performAction(pages, 'nudge', {
      pageId: 'page-1',
      ids: ['rule-1'],
      dxMm: 5,
      dyMm: 0,
    });
    expect(nudged.pages['page-1']?.elements.find((e) => e.id === 'rule-1')?.x).toBe(20);
    const deleted = performAction(pages, 'deleteElements', { pageId: 'page-1', ids: ['rule-1'] });
    expect(ids(deleted.pages['page-1'])).toContain('rule-1');
  });

  it('z-order moves one step or to the ends', () => {
    const z = (to: 'front' | 'forward' | 'backward' | 'back', id: string) =>
      ids(performAction(pages, 'zOrder', { pageId: 'page-1', ids: [id], to }).pages['page-1']);
    expect(z('forward', 'frame-1')).toEqual(['title-1', 'frame-1', 'rule-1']);
    expect(z('backward', 'rule-1')).toEqual(['frame-1', 'rule-1', 'title-1']);
    expect(z('front', 'frame-1')).toEqual(['title-1', 'rule-1', 'frame-1']);
    expect(z('back', 'rule-1')).toEqual(['rule-1', 'frame-1', 'title-1']);
  });

  it('sets a colour background, and clearing a photo background gives a colour back', () => {
    const coloured = performAction(pages, 'setBackground', {
      pageId: 'page-1',
      background: { kind: 'color', color: '#ffeedd' },
    }).pages['page-1']!;
    expect(coloured.background).toEqual({ kind: 'color', color: '#ffeedd' });
    expect(coloured.elements).toEqual(page.elements);
    const deltas = diffPage(page, coloured);
    expect(deltas).toEqual([
      { kind: 'background', pageId: 'page-1', before: page.background, after: coloured.background },
    ]);
    expect(applyDeltas({ 'page-1': coloured }, invertDeltas(deltas))['page-1']).toEqual(page);
  });

  it("moves a frame's photo to the background in one step, and its undo puts the frame back", () => {
    const result = performAction(pages, 'frameToBackground', { pageId: 'page-1', id: 'frame-1' });
    const after = result.pages['page-1']!;
    expect(after.background).toEqual({
      kind: 'photo',
      photoId: 'photo-1',
      placement: { fit: 'fill', scale: 1, offsetXMm: 0, offsetYMm: 0 },
    });
    expect(ids(after)).toEqual(['title-1', 'rule-1']);
    expect(result.select).toEqual([]);
    const undone = applyDeltas({ 'page-1': after }, invertDeltas(diffPage(page, after)));
    expect(undone['page-1']).toEqual(page);
  });

  it('leaves a locked or empty frame, or another kind of element, where it is', () => {
    const locked = performAction(pages, 'setLocked', {
      pageId: 'page-1',
      ids: ['frame-1'],
      locked: true,
    }).pages;
    const empty = performAction(pages, 'placePhoto', {
      pageId: 'page-1',
      patches: [{ id: 'frame-1', patch: { photoId: null } }],
    }).pages;
    for (const [from, id] of [
      [locked, 'frame-1'],
      [empty, 'frame-1'],
      [pages, 'title-1'],
    ] as const) {
      expect(performAction(from, 'frameToBackground', { pageId: 'page-1', id }).pages).toEqual({});
    }
  });

  it('undoing a background change keeps element edits that sync made meanwhile', () => {
    const coloured = performAction(pages, 'setBackground', {
      pageId: 'page-1',
      background: { kind: 'color', color: '#112233' },
    }).pages['page-1']!;
    const deltas = diffPage(page, coloured);
    const remote: Page = { ...coloured, elements: [...coloured.elements, rect] };
    const undone = applyDeltas({ 'page-1': remote }, invertDeltas(deltas))['page-1']!;
    expect(undone.background).toEqual(page.background);
    expect(ids(undone)).toContain('rect-1');
  });

  it('inverse deltas leave an element changed concurrently by sync alone', () => {
    const moved = performAction(pages, 'move', {
      pageId: 'page-1',
      patches: [{ id: 'title-1', patch: { x: 50 } }],
    }).pages['page-1']!;
    const deltas = diffPage(page, moved);
    // Meanwhile sync recoloured the line and added an element.
    const remote: Page = {
      ...moved,
      elements: [
        ...moved.elements.map((e) => (e.id === 'rule-1' ? { ...e, locked: false } : e)),
        rect,
      ],
    };
    const undone = applyDeltas({ 'page-1': remote }, invertDeltas(deltas))['page-1']!;
    expect(undone.elements.find((e) => e.id === 'title-1')?.x).toBe(20);
    expect(undone.elements.find((e) => e.id === 'rule-1')?.locked).toBe(false);
    expect(ids(undone)).toContain('rect-1');
  });
});
