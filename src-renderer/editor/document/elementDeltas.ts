import type { Background, Element, Page } from '../../../src-shared/model/page.js';

/** An element and where it sits in its page's z-order (0 = at the back). */
export interface ElementAt {
  readonly element: Element;
  readonly index: number;
}

/**
 * One element's change on one page: `before` null is an addition, `after` null a removal.
 * Undo applies the inverse (before and after swapped), so only what changed is reverted and
 * concurrent changes to other elements (from sync) survive.
 */
export interface ElementDelta {
  readonly kind: 'element';
  readonly pageId: string;
  readonly id: string;
  readonly before: ElementAt | null;
  readonly after: ElementAt | null;
}

/** A page's background changed (it is one value, as sync merges it: decision 15). */
export interface BackgroundDelta {
  readonly kind: 'background';
  readonly pageId: string;
  readonly before: Background;
  readonly after: Background;
}

/** One undoable change to one page. */
export type PageDelta = ElementDelta | BackgroundDelta;

export type PageMap = Readonly<Record<string, Page>>;

/** The deltas that turn `before` into `after` (same page id); unchanged elements give none. */
export function diffPage(before: Page, after: Page): PageDelta[] {
  const at = (page: Page) =>
    new Map(page.elements.map((element, index) => [element.id, { element, index }]));
  const was = at(before);
  const now = at(after);
  const deltas: PageDelta[] = [];
  if (!sameValue(before.background, after.background)) {
    deltas.push({
      kind: 'background',
      pageId: after.id,
      before: before.background,
      after: after.background,
    });
  }
  for (const id of new Set([...was.keys(), ...now.keys()])) {
    const b = was.get(id) ?? null;
    const a = now.get(id) ?? null;
    if (b && a && b.index === a.index && sameValue(b.element, a.element)) continue;
    deltas.push({ kind: 'element', pageId: after.id, id, before: b, after: a });
  }
  return deltas;
}

const sameValue = (a: Element | Background, b: Element | Background): boolean =>
  a === b || JSON.stringify(a) === JSON.stringify(b);

export const invertDeltas = (deltas: readonly PageDelta[]): PageDelta[] =>
  deltas.map((d) => ({ ...d, before: d.after, after: d.before }) as PageDelta);

/**
 * Applies deltas to the pages they name (pages that no longer exist are skipped). Touched
 * elements are taken out, then put back in ascending target index, which rebuilds the exact
 * order when the page is as the deltas expect, and a close one when sync changed it meanwhile.
 */
export function applyDeltas(pages: PageMap, deltas: readonly PageDelta[]): Record<string, Page> {
  const next: Record<string, Page> = { ...pages };
  const byPage = new Map<string, PageDelta[]>();
  for (const d of deltas) byPage.set(d.pageId, [...(byPage.get(d.pageId) ?? []), d]);
  for (const [pageId, changes] of byPage) {
    const page = next[pageId];
    if (!page) continue;
    const background =
      changes.findLast((d): d is BackgroundDelta => d.kind === 'background')?.after ??
      page.background;
    const list = changes.filter((d): d is ElementDelta => d.kind === 'element');
    const touched = new Set(list.map((d) => d.id));
    const elements = page.elements.filter((e) => !touched.has(e.id));
    const inserts = list
      .flatMap((d) => (d.after ? [d.after] : []))
      .sort((a, b) => a.index - b.index);
    for (const { element, index } of inserts) {
      elements.splice(Math.min(index, elements.length), 0, element);
    }
    next[pageId] = { ...page, background, elements };
  }
  return next;
}
