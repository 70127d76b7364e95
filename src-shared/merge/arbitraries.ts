/**
 * fast-check generators for pages and for edits of a page, for property tests (test-only: not
 * imported by application code). Every generated page validates against PageSchema.
 *
 * Values are drawn from small pools on purpose, so that two independent edits often hit the
 * same field, make the same change, or pick the same id: the interesting cases for a merge.
 */
import fc from 'fast-check';
import {
  PAGE_SCHEMA_VERSION,
  type Background,
  type Element,
  type ElementKind,
  type ImageFrame,
  type Page,
  type Placement,
  type Shape,
  type TextBox,
} from '../model/page.js';

const tenths = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: min * 10, max: max * 10 }).map((n) => n / 10);

/** A few common values plus the full range, so that equal values happen. */
const num = (common: number[], min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(...common), tenths(min, max));

export const colorArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('#000000', '#ffffff', '#1a1a1a', '#c0392b'),
  fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`),
);

export const photoIdArb: fc.Arbitrary<string> = fc.constantFrom(
  'photo-1',
  'photo-2',
  'photo-3',
  'IMG_0042',
);

export const placementArb: fc.Arbitrary<Placement> = fc.record({
  fit: fc.constantFrom('fill' as const, 'fit' as const),
  scale: num([1, 1.5, 2], 0.1, 50),
  offsetXMm: num([0, 5, -5], -10000, 10000),
  offsetYMm: num([0, 5, -5], -10000, 10000),
});

const baseFields = {
  x: num([0, 10, 20], -1000, 2000),
  y: num([0, 10, 20], -1000, 2000),
  width: num([50, 100], 0.1, 2000),
  height: num([50, 100], 0.1, 2000),
  rotation: num([0, 90, -45], -360, 360),
  locked: fc.boolean(),
};

export function imageArb(id: string): fc.Arbitrary<ImageFrame> {
  return fc.record({
    id: fc.constant(id),
    kind: fc.constant('image' as const),
    ...baseFields,
    photoId: fc.option(photoIdArb, { nil: null }),
    placement: placementArb,
  });
}

export function textArb(id: string): fc.Arbitrary<TextBox> {
  return fc.record({
    id: fc.constant(id),
    kind: fc.constant('text' as const),
    ...baseFields,
    text: fc.oneof(
      fc.constantFrom('', '卒業おめでとう', '思い出の運動会', '6年1組'),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
    ),
    fontFamily: fc.constantFrom('IPAexGothic' as const, 'IPAexMincho' as const),
    sizePt: num([10.5, 12, 24], 1, 500),
    color: colorArb,
    align: fc.constantFrom('start' as const, 'center' as const, 'end' as const, 'justify' as const),
    lineHeight: num([1, 1.4], 0.5, 5),
    vertical: fc.boolean(),
  });
}

export function shapeArb(id: string): fc.Arbitrary<Shape> {
  return fc.record({
    id: fc.constant(id),
    kind: fc.constant('shape' as const),
    ...baseFields,
    shape: fc.constantFrom('rect' as const, 'ellipse' as const, 'line' as const),
    fill: fc.option(colorArb, { nil: null }),
    stroke: fc.option(fc.record({ color: colorArb, widthMm: num([0.3, 1], 0.1, 50) }), {
      nil: null,
    }),
  });
}

export function elementArb(id: string, kinds?: readonly ElementKind[]): fc.Arbitrary<Element> {
  const all: Record<ElementKind, (id: string) => fc.Arbitrary<Element>> = {
    image: imageArb,
    text: textArb,
    shape: shapeArb,
  };
  const chosen = kinds ?? (['image', 'text', 'shape'] as const);
  return fc.oneof(...chosen.map((kind) => all[kind](id)));
}

export const backgroundArb: fc.Arbitrary<Background> = fc.oneof(
  colorArb.map((color) => ({ kind: 'color' as const, color })),
  fc.record({
    kind: fc.constant('photo' as const),
    photoId: photoIdArb,
    placement: placementArb,
  }),
);

/** A valid page whose elements have ids `e0`, `e1`, ... */
export function pageArb(options: { maxElements?: number } = {}): fc.Arbitrary<Page> {
  const maxElements = options.maxElements ?? 12;
  return fc
    .record({
      index: fc.integer({ min: 0, max: 200 }),
      version: fc.integer({ min: 0, max: 1000 }),
      background: backgroundArb,
      count: fc.integer({ min: 0, max: maxElements }),
    })
    .chain(({ index, version, background, count }) =>
      fc.tuple(...Array.from({ length: count }, (_, i) => elementArb(`e${i}`))).map((elements) => ({
        schemaVersion: PAGE_SCHEMA_VERSION,
        id: 'page-1',
        albumId: 'album-1',
        index,
        version,
        background,
        elements,
      })),
    );
}

export interface EditOptions {
  /** Prefix for ids of added elements; `n` ids are drawn from a pool shared by both sides. */
  addPrefix: string;
  /** Only these base element ids may be changed or deleted (default: all). */
  editable?: ReadonlySet<string>;
  /** Whether the edit may reorder the elements. */
  reorder?: boolean;
  /** Whether the edit may change the background. */
  background?: boolean;
  /** Whether additions may reuse ids from a pool shared by both sides (`n0`, `n1`, ...). */
  sharedAddIds?: boolean;
}

type ElementEdit =
  | { op: 'keep' }
  | { op: 'delete' }
  | { op: 'change'; fields: string[]; replacement: Element }
  | { op: 'retype'; replacement: Element };

function elementEditArb(element: Element): fc.Arbitrary<ElementEdit> {
  const fields = Object.keys(element).filter((k) => k !== 'id' && k !== 'kind');
  const otherKinds = (['image', 'text', 'shape'] as const).filter((k) => k !== element.kind);
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant({ op: 'keep' as const }) },
    { weight: 1, arbitrary: fc.constant({ op: 'delete' as const }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('change' as const),
        fields: fc.subarray(fields, { minLength: 1, maxLength: 3 }),
        replacement: elementArb(element.id, [element.kind]),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('retype' as const),
        replacement: elementArb(element.id, otherKinds),
      }),
    },
  );
}

function applyEdit(element: Element, edit: ElementEdit): Element | null {
  switch (edit.op) {
    case 'keep':
      return element;
    case 'delete':
      return null;
    case 'retype':
      return edit.replacement;
    case 'change': {
      const out = { ...element } as Record<string, unknown>;
      const source = edit.replacement as Record<string, unknown>;
      for (const field of edit.fields) out[field] = source[field];
      return out as Element;
    }
  }
}

/**
 * A page derived from `base` the way a person edits one: elements changed (some fields, or
 * the whole kind), deleted, added at any position, optionally reordered, optionally a new
 * background. Metadata are kept.
 */
export function editArb(base: Page, options: EditOptions): fc.Arbitrary<Page> {
  const editable = options.editable;
  const edits = base.elements.map((e) =>
    !editable || editable.has(e.id) ? elementEditArb(e) : fc.constant({ op: 'keep' as const }),
  );
  const addIds = options.sharedAddIds
    ? fc.uniqueArray(
        fc.oneof(
          fc.nat(20).map((n) => `${options.addPrefix}${n}`),
          fc.constantFrom('n0', 'n1'),
        ),
        { maxLength: 3 },
      )
    : fc.uniqueArray(
        fc.nat(20).map((n) => `${options.addPrefix}${n}`),
        { maxLength: 3 },
      );
  const additions = addIds.chain((ids) =>
    fc.tuple(...ids.map((id) => fc.tuple(elementArb(id), fc.nat()))),
  );
  return fc
    .record({
      edits: fc.tuple(...edits),
      additions,
      permutation: options.reorder
        ? fc.option(fc.shuffledSubarray(base.elements.map((e) => e.id)), { freq: 2 })
        : fc.constant(null),
      background: options.background ? fc.option(backgroundArb, { freq: 2 }) : fc.constant(null),
    })
    .map(({ edits: chosen, additions: added, permutation, background }) => {
      let elements: Element[] = [];
      base.elements.forEach((e, i) => {
        const edited = applyEdit(e, chosen[i] as ElementEdit);
        if (edited) elements.push(edited);
      });
      if (permutation) {
        // A full shuffle of the surviving elements: the shuffled subarray gives a random order
        // for the ids it holds; the rest keep their place after them.
        const rank = new Map(permutation.map((id, i) => [id, i]));
        elements = elements
          .map((e, i) => ({ e, key: rank.get(e.id) ?? permutation.length + i }))
          .sort((a, b) => a.key - b.key)
          .map(({ e }) => e);
      }
      for (const [element, at] of added) {
        elements.splice(at % (elements.length + 1), 0, element);
      }
      return { ...base, background: background ?? base.background, elements };
    });
}

/** base, local, remote: two independent edits of one base page. */
export function threeWayArb(
  options: { maxElements?: number; sharedAddIds?: boolean } = {},
): fc.Arbitrary<{ base: Page; local: Page; remote: Page }> {
  const sharedAddIds = options.sharedAddIds ?? true;
  return pageArb(options).chain((base) =>
    fc.record({
      base: fc.constant(base),
      local: editArb(base, { addPrefix: 'l', reorder: true, background: true, sharedAddIds }),
      remote: editArb(base, { addPrefix: 'r', reorder: true, background: true, sharedAddIds }),
    }),
  );
}

/**
 * Two edits that touch disjoint things: each base element is editable by at most one side,
 * additions have distinct ids, only one side may reorder, only one side may change the
 * background.
 */
export function disjointThreeWayArb(
  options: { maxElements?: number } = {},
): fc.Arbitrary<{ base: Page; local: Page; remote: Page }> {
  return pageArb(options).chain((base) =>
    fc
      .record({
        owners: fc.tuple(...base.elements.map(() => fc.boolean())),
        localReorders: fc.boolean(),
        localBackground: fc.boolean(),
      })
      .chain(({ owners, localReorders, localBackground }) => {
        const mine = new Set(base.elements.filter((_, i) => owners[i]).map((e) => e.id));
        const theirs = new Set(base.elements.filter((_, i) => !owners[i]).map((e) => e.id));
        return fc.record({
          base: fc.constant(base),
          local: editArb(base, {
            addPrefix: 'l',
            editable: mine,
            reorder: localReorders,
            background: localBackground,
          }),
          remote: editArb(base, {
            addPrefix: 'r',
            editable: theirs,
            reorder: !localReorders,
            background: !localBackground,
          }),
        });
      }),
  );
}
