import {
  DEFAULT_PLACEMENT,
  type Background,
  type Element,
  type Page,
} from '../../../src-shared/model/page.js';
import type { PageMap } from './elementDeltas.js';

/** A change to some elements' fields; `kind` and `id` never change. */
export type ElementPatch = { readonly id: string; readonly patch: Partial<Element> };

export type ZOrder = 'front' | 'forward' | 'backward' | 'back';

/** What each action takes. A typo in an action name is a type error. */
export interface ActionArgs {
  addElement: { pageId: string; element: Element };
  move: { pageId: string; patches: readonly ElementPatch[] };
  nudge: { pageId: string; ids: readonly string[]; dxMm: number; dyMm: number };
  transform: { pageId: string; patches: readonly ElementPatch[] };
  setProperties: { pageId: string; patches: readonly ElementPatch[] };
  adjustPhoto: { pageId: string; patches: readonly ElementPatch[] };
  placePhoto: { pageId: string; patches: readonly ElementPatch[] };
  setLocked: { pageId: string; ids: readonly string[]; locked: boolean };
  deleteElements: { pageId: string; ids: readonly string[] };
  /** `newIds[i]` is the copy of `ids[i]` (ids come from the caller: actions stay pure). */
  duplicate: {
    pageId: string;
    ids: readonly string[];
    newIds: readonly string[];
    offsetMm: number;
  };
  paste: { pageId: string; elements: readonly Element[] };
  zOrder: { pageId: string; ids: readonly string[]; to: ZOrder };
  /** A colour, or a photo, or back to a colour (clearing a photo background). */
  setBackground: { pageId: string; background: Background };
  /** An image frame's photo becomes the page's background and the frame goes. */
  frameToBackground: { pageId: string; id: string };
}
export type ActionName = keyof ActionArgs;

export interface ActionResult {
  /** The pages the action changed, whole. */
  readonly pages: Record<string, Page>;
  /** The selection afterwards, when the action decides it (new or removed elements). */
  readonly select?: readonly string[];
}

type Perform<N extends ActionName> = (pages: PageMap, args: ActionArgs[N]) => ActionResult;

function onPage(pages: PageMap, pageId: string, edit: (elements: Element[]) => Element[]) {
  const page = pages[pageId];
  if (!page) return {};
  return { [pageId]: { ...page, elements: edit([...page.elements]) } };
}

const patchElements = (
  pages: PageMap,
  { pageId, patches }: { pageId: string; patches: readonly ElementPatch[] },
): ActionResult => {
  const byId = new Map(patches.map((p) => [p.id, p.patch]));
  return {
    pages: onPage(pages, pageId, (elements) =>
      elements.map((e) => {
        const patch = byId.get(e.id);
        return patch ? ({ ...e, ...patch, id: e.id, kind: e.kind } as Element) : e;
      }),
    ),
  };
};

/** Locked elements do not move, resize or go away by accident; unlock first. */
const unlocked = (pages: PageMap, pageId: string, ids: readonly string[]): Set<string> =>
  new Set(
    (pages[pageId]?.elements ?? []).filter((e) => ids.includes(e.id) && !e.locked).map((e) => e.id),
  );

function reorder(elements: Element[], ids: ReadonlySet<string>, to: ZOrder): Element[] {
  const chosen = elements.filter((e) => ids.has(e.id));
  const rest = elements.filter((e) => !ids.has(e.id));
  if (to === 'front') return [...rest, ...chosen];
  if (to === 'back') return [...chosen, ...rest];
  const out = [...elements];
  // One step: each chosen element swaps with its neighbour unless that one is chosen too.
  const order = to === 'forward' ? [...out.keys()].reverse() : [...out.keys()];
  for (const i of order) {
    const j = to === 'forward' ? i + 1 : i - 1;
    const here = out[i];
    const there = out[j];
    if (here && there && ids.has(here.id) && !ids.has(there.id)) {
      out[i] = there;
      out[j] = here;
    }
  }
  return out;
}

export const ACTIONS: { readonly [N in ActionName]: Perform<N> } = {
  addElement: (pages, { pageId, element }) => ({
    pages: onPage(pages, pageId, (elements) => [...elements, element]),
    select: [element.id],
  }),
  move: (pages, args) => {
    const free = unlocked(
      pages,
      args.pageId,
      args.patches.map((p) => p.id),
    );
    return patchElements(pages, { ...args, patches: args.patches.filter((p) => free.has(p.id)) });
  },
  nudge: (pages, { pageId, ids, dxMm, dyMm }) => {
    const free = unlocked(pages, pageId, ids);
    return {
      pages: onPage(pages, pageId, (elements) =>
        elements.map((e) => (free.has(e.id) ? { ...e, x: e.x + dxMm, y: e.y + dyMm } : e)),
      ),
    };
  },
  transform: (pages, args) => {
    const free = unlocked(
      pages,
      args.pageId,
      args.patches.map((p) => p.id),
    );
    return patchElements(pages, { ...args, patches: args.patches.filter((p) => free.has(p.id)) });
  },
  setProperties: patchElements,
  adjustPhoto: patchElements,
  placePhoto: patchElements,
  setLocked: (pages, { pageId, ids, locked }) =>
    patchElements(pages, { pageId, patches: ids.map((id) => ({ id, patch: { locked } })) }),
  deleteElements: (pages, { pageId, ids }) => {
    const free = unlocked(pages, pageId, ids);
    return {
      pages: onPage(pages, pageId, (elements) => elements.filter((e) => !free.has(e.id))),
      select: [],
    };
  },
  duplicate: (pages, { pageId, ids, newIds, offsetMm }) => {
    const source = pages[pageId]?.elements ?? [];
    const copies = ids.flatMap((id, i) => {
      const element = source.find((e) => e.id === id);
      const newId = newIds[i];
      if (!element || !newId) return [];
      return [
        { ...element, id: newId, x: element.x + offsetMm, y: element.y + offsetMm, locked: false },
      ];
    });
    return {
      pages: onPage(pages, pageId, (elements) => [...elements, ...copies]),
      select: copies.map((c) => c.id),
    };
  },
  paste: (pages, { pageId, elements: pasted }) => ({
    pages: onPage(pages, pageId, (elements) => [...elements, ...pasted]),
    select: pasted.map((e) => e.id),
  }),
  zOrder: (pages, { pageId, ids, to }) => ({
    pages: onPage(pages, pageId, (elements) => reorder(elements, new Set(ids), to)),
  }),
  setBackground: (pages, { pageId, background }) => {
    const page = pages[pageId];
    return { pages: page ? { [pageId]: { ...page, background } } : {} };
  },
  frameToBackground: (pages, { pageId, id }) => {
    const page = pages[pageId];
    const frame = page?.elements.find((e) => e.id === id);
    if (!page || frame?.kind !== 'image' || !frame.photoId || frame.locked) return { pages: {} };
    // The frame's crop is relative to the frame; on the page the photo starts filled, centred.
    const background: Background = {
      kind: 'photo',
      photoId: frame.photoId,
      placement: DEFAULT_PLACEMENT,
    };
    return {
      pages: {
        [pageId]: { ...page, background, elements: page.elements.filter((e) => e !== frame) },
      },
      select: [],
    };
  },
};

/** Runs a named action over the pages. */
export const performAction = <N extends ActionName>(
  pages: PageMap,
  name: N,
  args: ActionArgs[N],
): ActionResult => (ACTIONS[name] as Perform<N>)(pages, args);
