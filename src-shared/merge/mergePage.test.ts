import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLACEMENT,
  PAGE_SCHEMA_VERSION,
  type Element,
  type ImageFrame,
  type Page,
  type Shape,
  type TextBox,
} from '../model/page.js';
import { parsePage } from '../model/parse.js';
import { disjointThreeWayArb, editArb, pageArb, threeWayArb } from './arbitraries.js';
import { deepEqual, mergePage, mergeUnits, type MergeConflict } from './mergePage.js';

// ---------------------------------------------------------------------------------------------
// Helpers

const img = (id: string, over: Partial<ImageFrame> = {}): ImageFrame => ({
  id,
  kind: 'image',
  x: 0,
  y: 0,
  width: 50,
  height: 40,
  rotation: 0,
  locked: false,
  photoId: 'photo-1',
  placement: DEFAULT_PLACEMENT,
  ...over,
});

const txt = (id: string, over: Partial<TextBox> = {}): TextBox => ({
  id,
  kind: 'text',
  x: 10,
  y: 10,
  width: 100,
  height: 20,
  rotation: 0,
  locked: false,
  text: '卒業おめでとう',
  fontFamily: 'IPAexMincho',
  sizePt: 24,
  color: '#1a1a1a',
  align: 'center',
  lineHeight: 1.4,
  vertical: false,
  ...over,
});

const shp = (id: string, over: Partial<Shape> = {}): Shape => ({
  id,
  kind: 'shape',
  x: 20,
  y: 185,
  width: 170,
  height: 1,
  rotation: 0,
  locked: false,
  shape: 'rect',
  fill: null,
  stroke: { color: '#c0392b', widthMm: 0.3 },
  ...over,
});

const page = (elements: Element[], over: Partial<Page> = {}): Page => ({
  schemaVersion: PAGE_SCHEMA_VERSION,
  id: 'page-1',
  albumId: 'album-1',
  index: 3,
  version: 7,
  background: { kind: 'color', color: '#ffffff' },
  elements,
  ...over,
});

const ids = (p: Page): string[] => p.elements.map((e) => e.id);
const find = (p: Page, id: string): Element | undefined => p.elements.find((e) => e.id === id);
const byId = (p: Page): Map<string, Element> => new Map(p.elements.map((e) => [e.id, e]));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * mergePage on frozen copies of the inputs (a mutation would throw: modules are strict), with
 * checks every merge must pass: the inputs are unchanged, the result is a valid strict page,
 * and merging again gives the same answer.
 */
function merge(base: Page, local: Page, remote: Page) {
  const snapshot = structuredClone({ base, local, remote });
  const frozen = deepFreeze(structuredClone({ base, local, remote }));
  const result = mergePage(frozen.base, frozen.local, frozen.remote);
  expect({ base, local, remote }).toEqual(snapshot);
  const parsed = parsePage(result.merged);
  if (!parsed.ok) throw new Error(`merged page is invalid: ${parsed.error.message}`);
  // zod's strict objects refuse extra keys, and parsing keeps every value: the result is exact.
  expect(parsed.value).toEqual(result.merged);
  expect(mergePage(frozen.base, frozen.local, frozen.remote)).toEqual(result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Examples, one per rule

describe('mergePage: fields', () => {
  const base = page([img('a'), txt('b'), shp('c')]);

  it('keeps a change made on one side only, from either side', () => {
    const local = page([img('a', { x: 5 }), txt('b'), shp('c')]);
    const remote = page([img('a'), txt('b', { text: '思い出' }), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.elements).toEqual([img('a', { x: 5 }), txt('b', { text: '思い出' }), shp('c')]);
    expect(conflicts).toEqual([]);
  });

  it('merges different fields of the same element changed on the two sides', () => {
    const local = page([img('a', { x: 5, locked: true }), txt('b'), shp('c')]);
    const remote = page([img('a', { width: 80, photoId: 'photo-2' }), txt('b'), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'a')).toEqual(
      img('a', { x: 5, locked: true, width: 80, photoId: 'photo-2' }),
    );
    expect(conflicts).toEqual([]);
  });

  it('keeps the same change made on both sides once, without a conflict', () => {
    const local = page([img('a'), txt('b', { sizePt: 12, vertical: true }), shp('c')]);
    const remote = page([img('a'), txt('b', { sizePt: 12 }), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'b')).toEqual(txt('b', { sizePt: 12, vertical: true }));
    expect(merged.elements).toHaveLength(3);
    expect(conflicts).toEqual([]);
  });

  it('takes the remote value of a field changed differently on both sides and reports it', () => {
    const local = page([img('a'), txt('b', { text: 'ローカル', color: '#000000' }), shp('c')]);
    const remote = page([img('a'), txt('b', { text: 'リモート', align: 'start' }), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'b')).toEqual(
      txt('b', { text: 'リモート', color: '#000000', align: 'start' }),
    );
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'field',
        elementId: 'b',
        field: 'text',
        localValue: 'ローカル',
        remoteValue: 'リモート',
      },
    ]);
  });

  it('treats placement as one value: different inner changes conflict, remote wins', () => {
    const local = page([
      img('a', { placement: { ...DEFAULT_PLACEMENT, scale: 2 } }),
      txt('b'),
      shp('c'),
    ]);
    const remote = page([
      img('a', { placement: { ...DEFAULT_PLACEMENT, offsetXMm: 4 } }),
      txt('b'),
      shp('c'),
    ]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'a')).toEqual(
      img('a', { placement: { ...DEFAULT_PLACEMENT, offsetXMm: 4 } }),
    );
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'field',
        elementId: 'a',
        field: 'placement',
        localValue: { ...DEFAULT_PLACEMENT, scale: 2 },
        remoteValue: { ...DEFAULT_PLACEMENT, offsetXMm: 4 },
      },
    ]);
  });

  it('merges the photo of a frame and its crop as one: a new photo never gets the old crop', () => {
    const cropped = { ...DEFAULT_PLACEMENT, scale: 1.5, offsetXMm: -3 };
    const local = page([img('a', { photoId: 'photo-2' }), txt('b'), shp('c')]);
    const remote = page([img('a', { placement: cropped }), txt('b'), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'a')).toEqual(img('a', { placement: cropped }));
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'field',
        elementId: 'a',
        field: 'photoId',
        localValue: 'photo-2',
        remoteValue: 'photo-1',
      },
      {
        kind: 'field',
        elementId: 'a',
        field: 'placement',
        localValue: DEFAULT_PLACEMENT,
        remoteValue: cropped,
      },
    ]);
    // A photo change with its own crop on one side only is kept whole.
    const swapped = page([
      img('a', { photoId: 'photo-2', placement: cropped }),
      txt('b'),
      shp('c'),
    ]);
    expect(find(merge(base, swapped, base).merged, 'a')).toEqual(
      img('a', { photoId: 'photo-2', placement: cropped }),
    );
  });

  it('compares nested values deeply: an equal copy of the stroke is no change', () => {
    const local = page([
      img('a'),
      txt('b'),
      shp('c', { stroke: { color: '#c0392b', widthMm: 0.3 } }),
    ]);
    const remote = page([img('a'), txt('b'), shp('c', { stroke: null })]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'c')).toEqual(shp('c', { stroke: null }));
    expect(conflicts).toEqual([]);
  });
});

describe('mergePage: deletions', () => {
  const base = page([img('a'), txt('b'), shp('c')]);

  it('keeps an element deleted remotely but changed locally, and reports it', () => {
    const local = page([img('a', { rotation: 90 }), txt('b'), shp('c')]);
    const remote = page([txt('b'), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.elements).toEqual([img('a', { rotation: 90 }), txt('b'), shp('c')]);
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'delete-vs-edit',
        elementId: 'a',
        field: null,
        localValue: img('a', { rotation: 90 }),
        remoteValue: null,
      },
    ]);
  });

  it('keeps an element deleted locally but changed remotely, and reports it', () => {
    const local = page([img('a'), shp('c')]);
    const remote = page([img('a'), txt('b', { text: '修学旅行' }), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.elements).toEqual([img('a'), txt('b', { text: '修学旅行' }), shp('c')]);
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'delete-vs-edit',
        elementId: 'b',
        field: null,
        localValue: null,
        remoteValue: txt('b', { text: '修学旅行' }),
      },
    ]);
  });

  it('deletes an element deleted on one side and untouched on the other, from either side', () => {
    const local = page([txt('b'), shp('c')]);
    const remote = page([img('a'), txt('b')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.elements).toEqual([txt('b')]);
    expect(conflicts).toEqual([]);
  });

  it('deletes an element deleted on both sides', () => {
    const local = page([img('a'), shp('c', { x: 1 })]);
    const remote = page([img('a', { y: 2 }), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.elements).toEqual([img('a', { y: 2 }), shp('c', { x: 1 })]);
    expect(conflicts).toEqual([]);
  });
});

describe('mergePage: additions', () => {
  const base = page([img('a'), txt('b')]);

  it('keeps elements added on both sides', () => {
    const local = page([img('a'), img('l1'), txt('b')]);
    const remote = page([img('a'), txt('b'), shp('r1')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['a', 'l1', 'b', 'r1']);
    expect(conflicts).toEqual([]);
  });

  it('keeps the same element added identically on both sides once', () => {
    const local = page([img('a'), txt('b'), shp('n')]);
    const remote = page([img('a'), txt('b'), shp('n')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.elements).toEqual([img('a'), txt('b'), shp('n')]);
    expect(conflicts).toEqual([]);
  });

  it('merges one id added on both sides against an empty base: remote wins where they differ', () => {
    const local = page([img('a'), txt('b'), shp('n', { x: 1, fill: '#000000' })]);
    const remote = page([img('a'), txt('b'), shp('n', { x: 2, shape: 'ellipse' })]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'n')).toEqual(shp('n', { x: 2, shape: 'ellipse' }));
    expect(conflicts).toEqual<MergeConflict[]>([
      { kind: 'field', elementId: 'n', field: 'x', localValue: 1, remoteValue: 2 },
      { kind: 'field', elementId: 'n', field: 'shape', localValue: 'rect', remoteValue: 'ellipse' },
      { kind: 'field', elementId: 'n', field: 'fill', localValue: '#000000', remoteValue: null },
    ]);
  });

  it('takes the remote element whole when one id is added on both sides with different kinds', () => {
    const local = page([img('a'), txt('b'), txt('n')]);
    const remote = page([img('a'), txt('b'), img('n')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'n')).toEqual(img('n'));
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'kind-changed',
        elementId: 'n',
        field: null,
        localValue: txt('n'),
        remoteValue: img('n'),
      },
    ]);
  });
});

describe('mergePage: kind changes', () => {
  const base = page([img('a'), txt('b')]);

  it('keeps a kind change made on one side when the other left the element alone', () => {
    const local = page([shp('a'), txt('b', { x: 3 })]);
    const remote = page([img('a'), txt('b', { y: 4 })]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.elements).toEqual([shp('a'), txt('b', { x: 3, y: 4 })]);
    expect(conflicts).toEqual([]);
  });

  it('takes the remote element whole when one side changed the kind and the other edited it', () => {
    const local = page([img('a', { x: 9 }), txt('b')]);
    const remote = page([shp('a'), txt('b')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(find(merged, 'a')).toEqual(shp('a'));
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'kind-changed',
        elementId: 'a',
        field: null,
        localValue: img('a', { x: 9 }),
        remoteValue: shp('a'),
      },
    ]);

    // And the other way round: remote's plain edit still wins over a local kind change.
    const other = merge(base, page([shp('a'), txt('b')]), page([img('a', { x: 9 }), txt('b')]));
    expect(find(other.merged, 'a')).toEqual(img('a', { x: 9 }));
    expect(other.conflicts.map((c) => c.kind)).toEqual(['kind-changed']);
  });

  it('merges fields when both sides changed the kind the same way', () => {
    const geometry = { x: 10, y: 10, width: 100, height: 20 };
    const local = page([txt('a', { text: 'A' }), txt('b')]);
    const remote = page([txt('a', { y: 7 }), txt('b')]);
    const { merged, conflicts } = merge(page([img('a', geometry), txt('b')]), local, remote);
    // x, y, ... exist on the image base: those merge three-way (y changed remotely only);
    // text-only fields have no base, so they conflict where the sides differ.
    expect(find(merged, 'a')).toEqual(txt('a', { y: 7 }));
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'field',
        elementId: 'a',
        field: 'text',
        localValue: 'A',
        remoteValue: '卒業おめでとう',
      },
    ]);
  });
});

describe('mergePage: order', () => {
  const base = page([img('a'), txt('b'), shp('c'), img('d')]);

  it('follows the remote order', () => {
    const local = page([img('a'), txt('b', { x: 1 }), shp('c'), img('d')]);
    const remote = page([img('d'), shp('c'), txt('b'), img('a')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['d', 'c', 'b', 'a']);
    expect(find(merged, 'b')).toEqual(txt('b', { x: 1 }));
    expect(conflicts).toEqual([]);
  });

  it('places local additions after their nearest preceding local neighbour, runs together', () => {
    const local = page([img('a'), txt('b'), img('l1'), img('l2'), shp('c'), img('d'), img('l3')]);
    const remote = page([img('d'), shp('c'), txt('b'), img('a')]);
    const { merged } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['d', 'l3', 'c', 'b', 'l1', 'l2', 'a']);
  });

  it('places a local addition first when nothing precedes it in the local order', () => {
    const local = page([img('l0'), img('a'), txt('b'), shp('c'), img('d')]);
    const remote = page([txt('b'), img('a'), shp('c'), img('d'), img('r1')]);
    const { merged } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['l0', 'b', 'a', 'c', 'd', 'r1']);
  });

  it('skips neighbours that are not in the result', () => {
    // Local added l1 after b; remote deleted b (untouched locally, so it goes): l1 goes after a.
    const local = page([img('a'), txt('b'), img('l1'), shp('c'), img('d')]);
    const remote = page([img('a'), shp('c'), img('d')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['a', 'l1', 'c', 'd']);
    expect(conflicts).toEqual([]);
  });

  it('places an element kept against a remote deletion like a local addition', () => {
    const local = page([img('a'), txt('b', { x: 5 }), shp('c'), img('d')]);
    const remote = page([img('d'), shp('c'), img('a')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['d', 'c', 'a', 'b']);
    expect(conflicts.map((c) => c.kind)).toEqual(['delete-vs-edit']);
  });

  it('keeps a reorder made only locally, placing remote additions by their remote neighbours', () => {
    const local = page([img('d'), img('a'), txt('b'), shp('c')]);
    const remote = page([img('a'), img('r1'), txt('b'), shp('c'), img('d', { x: 3 })]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['d', 'a', 'r1', 'b', 'c']);
    expect(find(merged, 'd')).toEqual(img('d', { x: 3 }));
    expect(conflicts).toEqual([]);
  });

  it('keeps the same reorder made on both sides without a conflict', () => {
    const local = page([shp('c'), img('a'), img('l1'), txt('b'), img('d')]);
    const remote = page([shp('c'), img('a'), txt('b'), img('d')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['c', 'a', 'l1', 'b', 'd']);
    expect(conflicts).toEqual([]);
  });

  it('takes the remote order when both sides reordered differently, and reports it', () => {
    const local = page([img('d'), img('a'), txt('b'), shp('c')]);
    const remote = page([img('a'), txt('b'), img('d'), shp('c')]);
    const { merged, conflicts } = merge(base, local, remote);
    expect(ids(merged)).toEqual(['a', 'b', 'd', 'c']);
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'order',
        elementId: null,
        field: 'elements',
        localValue: ['d', 'a', 'b', 'c'],
        remoteValue: ['a', 'b', 'd', 'c'],
      },
    ]);
  });
});

describe('mergePage: page level', () => {
  const base = page([img('a')], { background: { kind: 'color', color: '#ffffff' } });

  it('keeps a background changed on one side', () => {
    const local = page([img('a')], {
      background: { kind: 'photo', photoId: 'photo-9', placement: DEFAULT_PLACEMENT },
    });
    const { merged, conflicts } = merge(base, local, base);
    expect(merged.background).toEqual(local.background);
    expect(conflicts).toEqual([]);
  });

  it('takes the remote background when both changed it differently, and reports it', () => {
    const local = page([img('a')], { background: { kind: 'color', color: '#000000' } });
    const remote = page([img('a')], { background: { kind: 'color', color: '#eeeeee' } });
    const { merged, conflicts } = merge(base, local, remote);
    expect(merged.background).toEqual({ kind: 'color', color: '#eeeeee' });
    expect(conflicts).toEqual<MergeConflict[]>([
      {
        kind: 'field',
        elementId: null,
        field: 'background',
        localValue: { kind: 'color', color: '#000000' },
        remoteValue: { kind: 'color', color: '#eeeeee' },
      },
    ]);
  });

  it('takes the page metadata from remote', () => {
    const local = page([img('a', { x: 1 })], { version: 7, index: 3 });
    const remote = page([img('a')], { version: 9, index: 4 });
    const { merged } = merge(base, local, remote);
    expect(merged).toEqual(page([img('a', { x: 1 })], { version: 9, index: 4 }));
  });

  it('lists conflicts deterministically: background, elements in result order, then order', () => {
    const b = page([img('a'), txt('b'), shp('c')]);
    const local = page([shp('c', { x: 1 }), txt('b', { x: 1, y: 1 }), img('a')], {
      background: { kind: 'color', color: '#000000' },
    });
    const remote = page([txt('b', { x: 2, y: 2 }), img('a'), shp('c', { x: 2 })], {
      background: { kind: 'color', color: '#eeeeee' },
    });
    const { conflicts } = merge(b, local, remote);
    expect(conflicts.map((c) => [c.kind, c.elementId, c.field])).toEqual([
      ['field', null, 'background'],
      ['field', 'b', 'x'],
      ['field', 'b', 'y'],
      ['field', 'c', 'x'],
      ['order', null, 'elements'],
    ]);
  });

  it('handles empty pages', () => {
    const empty = page([]);
    expect(merge(empty, empty, empty)).toEqual({ merged: empty, conflicts: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated pages and edits

const RUNS = { numRuns: 300 };
const elementsAndBackground = (p: Page) => ({ background: p.background, elements: p.elements });

/** Ids of `a`, in order, that are also in `keep`. */
const orderWithin = (a: Page, keep: ReadonlySet<string>): string[] =>
  ids(a).filter((id) => keep.has(id));

const reordered = (base: Page, side: Page): boolean => {
  const inBase = new Set(ids(base));
  const inSide = new Set(ids(side));
  return !deepEqual(orderWithin(base, inSide), orderWithin(side, inBase));
};

describe('mergePage: properties', () => {
  it('generates valid pages and edits (the generators themselves)', () => {
    fc.assert(
      fc.property(threeWayArb(), ({ base, local, remote }) => {
        for (const p of [base, local, remote]) expect(parsePage(p).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('merge(b, x, b) = x', () => {
    fc.assert(
      fc.property(
        pageArb().chain((base) =>
          fc.tuple(
            fc.constant(base),
            editArb(base, { addPrefix: 'l', reorder: true, background: true }),
          ),
        ),
        ([base, local]) => {
          const { merged, conflicts } = merge(base, local, base);
          expect(elementsAndBackground(merged)).toEqual(elementsAndBackground(local));
          expect(conflicts).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('merge(b, b, y) = y', () => {
    fc.assert(
      fc.property(
        pageArb().chain((base) =>
          fc.tuple(
            fc.constant(base),
            editArb(base, { addPrefix: 'r', reorder: true, background: true }),
          ),
        ),
        ([base, remote]) => {
          const { merged, conflicts } = merge(base, base, remote);
          expect(merged).toEqual(remote);
          expect(conflicts).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('merge(b, x, x) = x', () => {
    fc.assert(
      fc.property(
        pageArb().chain((base) =>
          fc.tuple(
            fc.constant(base),
            editArb(base, { addPrefix: 'l', reorder: true, background: true }),
          ),
        ),
        ([base, both]) => {
          const { merged, conflicts } = merge(base, both, both);
          expect(merged).toEqual(both);
          expect(conflicts).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('keeps every one-sided field change, and takes only values from local or remote', () => {
    let oneSidedFieldsSeen = 0;
    fc.assert(
      fc.property(threeWayArb(), ({ base, local, remote }) => {
        const { merged, conflicts } = merge(base, local, remote);
        const [b, l, r, m] = [byId(base), byId(local), byId(remote), byId(merged)];
        for (const [id, be] of b) {
          const le = l.get(id);
          const re = r.get(id);
          if (!le || !re) continue;
          const me = m.get(id);
          expect(me).toBeDefined();
          if (deepEqual(re, be)) expect(me).toEqual(le);
          if (deepEqual(le, be)) expect(me).toEqual(re);
          if (le.kind !== be.kind || re.kind !== be.kind) continue;
          const [bo, lo, ro, mo] = [be, le, re, me] as Record<string, unknown>[];
          // Grouped fields (a frame's photo and its crop) change together or not at all.
          for (const unit of mergeUnits(be)) {
            const pick = (e: Record<string, unknown>) => unit.map((key) => e[key]);
            const localChanged = !deepEqual(pick(lo!), pick(bo!));
            const remoteChanged = !deepEqual(pick(ro!), pick(bo!));
            if (localChanged && !remoteChanged) {
              oneSidedFieldsSeen++;
              expect(pick(mo!)).toEqual(pick(lo!));
            } else if (remoteChanged && !localChanged) {
              expect(pick(mo!)).toEqual(pick(ro!));
            } else if (localChanged && !deepEqual(pick(lo!), pick(ro!))) {
              expect(pick(mo!)).toEqual(pick(ro!));
              for (const field of unit.filter((key) => !deepEqual(lo![key], ro![key]))) {
                expect(conflicts).toContainEqual({
                  kind: 'field',
                  elementId: id,
                  field,
                  localValue: lo![field],
                  remoteValue: ro![field],
                });
              }
            }
          }
        }
        for (const me of merged.elements) {
          const le = l.get(me.id) as Record<string, unknown> | undefined;
          const re = r.get(me.id) as Record<string, unknown> | undefined;
          for (const [field, value] of Object.entries(me)) {
            const fromLocal = le !== undefined && deepEqual(le[field], value);
            const fromRemote = re !== undefined && deepEqual(re[field], value);
            expect(fromLocal || fromRemote).toBe(true);
          }
        }
      }),
      RUNS,
    );
    expect(oneSidedFieldsSeen).toBeGreaterThan(100); // the generator does exercise the rule
  });

  it('loses nothing that neither side deleted, and keeps edits over deletions, reported', () => {
    fc.assert(
      fc.property(threeWayArb(), ({ base, local, remote }) => {
        const { merged, conflicts } = merge(base, local, remote);
        const [b, l, r] = [byId(base), byId(local), byId(remote)];
        const inMerged = new Set(ids(merged));
        const all = new Set([...b.keys(), ...l.keys(), ...r.keys()]);
        for (const id of all) {
          const [be, le, re] = [b.get(id), l.get(id), r.get(id)];
          const deletedByLocal = be !== undefined && le === undefined;
          const deletedByRemote = be !== undefined && re === undefined;
          const editedOverDeletion =
            (deletedByRemote && le !== undefined && !deepEqual(le, be)) ||
            (deletedByLocal && re !== undefined && !deepEqual(re, be));
          const expected =
            (le !== undefined && !deletedByRemote) ||
            (re !== undefined && !deletedByLocal) ||
            editedOverDeletion;
          expect(inMerged.has(id)).toBe(expected);
          const reported = conflicts.some((c) => c.kind === 'delete-vs-edit' && c.elementId === id);
          expect(reported).toBe(editedOverDeletion);
        }
      }),
      RUNS,
    );
  });

  it('always produces a page that validates, with conflicts that are real', () => {
    fc.assert(
      fc.property(threeWayArb({ maxElements: 20 }), ({ base, local, remote }) => {
        const { merged, conflicts } = merge(base, local, remote); // validates
        const m = byId(merged);
        for (const c of conflicts) {
          expect(deepEqual(c.localValue, c.remoteValue)).toBe(false);
          if (c.kind === 'field' && c.elementId !== null) {
            expect((m.get(c.elementId) as Record<string, unknown>)[c.field]).toEqual(c.remoteValue);
          }
          if (c.kind === 'field' && c.elementId === null) {
            expect(merged.background).toEqual(c.remoteValue);
          }
          if (c.kind === 'kind-changed') expect(m.get(c.elementId)).toEqual(c.remoteValue);
          if (c.kind === 'order')
            expect(reordered(base, local) && reordered(base, remote)).toBe(true);
        }
        const keys = conflicts.map((c) => `${c.kind}/${c.elementId}/${c.field}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      RUNS,
    );
  });

  it('follows the order of the side that reordered, or remote', () => {
    fc.assert(
      fc.property(threeWayArb(), ({ base, local, remote }) => {
        const { merged } = merge(base, local, remote);
        const inMerged = new Set(ids(merged));
        const leader = reordered(base, local) && !reordered(base, remote) ? local : remote;
        const inLeader = new Set(ids(leader));
        expect(orderWithin(merged, inLeader)).toEqual(orderWithin(leader, inMerged));
      }),
      RUNS,
    );
  });

  it('reports no conflicts and keeps every change when the sides touch disjoint elements', () => {
    fc.assert(
      fc.property(disjointThreeWayArb(), ({ base, local, remote }) => {
        const { merged, conflicts } = merge(base, local, remote);
        expect(conflicts).toEqual([]);
        const [b, l, r] = [byId(base), byId(local), byId(remote)];
        for (const me of merged.elements) {
          const [be, le, re] = [b.get(me.id), l.get(me.id), r.get(me.id)];
          const localTouched = le !== undefined && (be === undefined || !deepEqual(le, be));
          expect(me).toEqual(localTouched ? le : re);
        }
        expect(merged.background).toEqual(
          deepEqual(local.background, base.background) ? remote.background : local.background,
        );
      }),
      RUNS,
    );
  });
});
