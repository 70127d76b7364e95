import { createStore, type StoreApi } from 'zustand/vanilla';
import { spreadsFor, type Spread } from '../../src-shared/geometry/spreads.js';
import type { Album } from '../../src-shared/model/album.js';
import type { Element, Page } from '../../src-shared/model/page.js';
import type { AppError } from '../../src-shared/result.js';
import { performAction, type ActionArgs, type ActionName } from './document/actions.js';
import { applyDeltas, diffPage, invertDeltas, type PageDelta } from './document/elementDeltas.js';
import { EMPTY_HISTORY, recordStep, takeRedo, takeUndo, type History } from './document/history.js';
import type { View } from './view/zoom.js';

/** What the editor knows of a photo: its pixel size (for PPI) and its thumbnail. */
export interface PhotoInfo {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly thumbnailUrl: string | null;
}

export interface Selection {
  readonly pageId: string;
  readonly ids: readonly string[];
}

export interface EditorState {
  readonly album: Album;
  readonly pages: Readonly<Record<string, Page>>;
  /** Page ids in album order. */
  readonly order: readonly string[];
  readonly photos: Readonly<Record<string, PhotoInfo>>;
  readonly spreadIndex: number;
  /**
   * Where new elements and pastes go; always on the spread shown. The one current page of the
   * workspace: the page strip highlights it too.
   */
  readonly activePageId: string | null;
  readonly selection: Selection | null;
  /** The image frame whose photo is being adjusted (double-click), if any. */
  readonly cropping: { readonly pageId: string; readonly id: string } | null;
  readonly view: View | null;
  /** The canvas's size in px, for fit and 100 %. */
  readonly viewport: { readonly width: number; readonly height: number } | null;
  readonly history: History;
  /** Local changes per page so far: a reload compares them to keep edits made while it ran. */
  readonly localEdits: Readonly<Record<string, number>>;
  readonly clipboard: readonly Element[];
  /** The last autosave failure, shown until a save succeeds. */
  readonly saveError: AppError | null;

  /** `mergeKey`: steps of one continuous gesture with the same key are one undo step. */
  readonly perform: <N extends ActionName>(
    name: N,
    args: ActionArgs[N],
    options?: { readonly mergeKey?: string },
  ) => void;
  readonly undo: () => void;
  readonly redo: () => void;
  /** Pages as sync (or another screen) left them: replaces them, never on the undo stack. */
  readonly applyRemote: (pages: readonly Page[]) => void;
  readonly setPhotos: (photos: Readonly<Record<string, PhotoInfo>>) => void;
  readonly select: (selection: Selection | null) => void;
  readonly setCropping: (cropping: EditorState['cropping']) => void;
  readonly showSpread: (index: number) => void;
  readonly setActivePage: (pageId: string) => void;
  readonly setView: (view: View) => void;
  readonly setViewport: (viewport: EditorState['viewport']) => void;
  readonly copy: () => void;
  readonly setSaveError: (error: AppError | null) => void;
}

export type EditorStore = StoreApi<EditorState>;

/** The pages of the spread at `index` (null for an empty side), from src-shared's spreads. */
export function spreadPages(state: Pick<EditorState, 'album' | 'order' | 'spreadIndex'>): {
  spread: Spread;
  left: string | null;
  right: string | null;
} {
  const spreads = spreadsFor(state.order.length, state.album.binding);
  const spread = spreads[Math.min(state.spreadIndex, spreads.length - 1)] ?? {
    left: null,
    right: null,
  };
  const id = (n: number | null) => (n === null ? null : (state.order[n - 1] ?? null));
  return { spread, left: id(spread.left), right: id(spread.right) };
}

const orderOf = (pages: readonly Page[]) =>
  [...pages].sort((a, b) => a.index - b.index).map((p) => p.id);

/**
 * One open album's editor state (made per album, never at import). Local actions go through
 * `perform`, which records their inverse-able deltas and reports the changed pages to
 * `onLocalChange` (autosave); `applyRemote` does neither.
 */
export function createEditorStore(input: {
  readonly album: Album;
  readonly pages: readonly Page[];
  readonly onLocalChange: (pageIds: readonly string[]) => void;
}): EditorStore {
  const firstPage = orderOf(input.pages)[0] ?? null;
  return createStore<EditorState>((set, get) => {
    /** Applies deltas as a local change and tells autosave which pages changed. */
    const applyLocal = (
      deltas: readonly PageDelta[],
      history: History,
      select?: readonly string[],
    ) => {
      const state = get();
      const pages = applyDeltas(state.pages, deltas);
      const pageIds = [...new Set(deltas.map((d) => d.pageId))];
      let selection = state.selection;
      if (select && pageIds[0]) selection = { pageId: pageIds[0], ids: select };
      else if (selection) {
        const alive = new Set(pages[selection.pageId]?.elements.map((e) => e.id) ?? []);
        selection = { ...selection, ids: selection.ids.filter((id) => alive.has(id)) };
      }
      const localEdits = { ...state.localEdits };
      for (const id of pageIds) localEdits[id] = (localEdits[id] ?? 0) + 1;
      set({ pages, history, selection, localEdits });
      input.onLocalChange(pageIds);
    };

    return {
      album: input.album,
      pages: Object.fromEntries(input.pages.map((p) => [p.id, p])),
      order: orderOf(input.pages),
      photos: {},
      spreadIndex: 0,
      activePageId: firstPage,
      selection: null,
      cropping: null,
      view: null,
      viewport: null,
      history: EMPTY_HISTORY,
      localEdits: {},
      clipboard: [],
      saveError: null,

      perform(name, args, options) {
        const state = get();
        const result = performAction(state.pages, name, args);
        const deltas = Object.values(result.pages).flatMap((page) => {
          const before = state.pages[page.id];
          return before ? diffPage(before, page) : [];
        });
        if (deltas.length === 0) {
          if (result.select && 'pageId' in args)
            set({ selection: { pageId: args.pageId, ids: result.select } });
          return;
        }
        const step = { name, deltas, ...(options?.mergeKey ? { mergeKey: options.mergeKey } : {}) };
        applyLocal(deltas, recordStep(state.history, step), result.select);
      },
      undo() {
        const taken = takeUndo(get().history);
        if (taken) applyLocal(invertDeltas(taken.entry.deltas), taken.history);
      },
      redo() {
        const taken = takeRedo(get().history);
        if (taken) applyLocal(taken.entry.deltas, taken.history);
      },
      applyRemote(remote) {
        const state = get();
        const pages = Object.fromEntries(remote.map((p) => [p.id, p]));
        const order = orderOf(remote);
        const spreads = spreadsFor(order.length, state.album.binding).length;
        const selection =
          state.selection && pages[state.selection.pageId]
            ? {
                ...state.selection,
                ids: state.selection.ids.filter((id) =>
                  pages[state.selection!.pageId]!.elements.some((e) => e.id === id),
                ),
              }
            : null;
        const activePageId =
          state.activePageId && pages[state.activePageId] ? state.activePageId : (order[0] ?? null);
        // Pages added, deleted or moved elsewhere: the spread shown stays the active page's, so
        // the canvas and the page strip (which highlights the active page) keep agreeing.
        const activeSpread = spreadOf({ ...state, order }, activePageId);
        set({
          pages,
          order,
          selection,
          spreadIndex: activeSpread ?? Math.min(state.spreadIndex, Math.max(0, spreads - 1)),
          activePageId,
        });
      },
      setPhotos: (photos) => set({ photos: { ...get().photos, ...photos } }),
      select: (selection) =>
        set({
          selection,
          ...(selection ? { activePageId: selection.pageId } : {}),
          ...(get().cropping && selection?.ids[0] !== get().cropping?.id ? { cropping: null } : {}),
        }),
      setCropping: (cropping) => set({ cropping }),
      showSpread(index) {
        const state = get();
        const count = spreadsFor(state.order.length, state.album.binding).length;
        const spreadIndex = Math.max(0, Math.min(count - 1, index));
        const { left, right } = spreadPages({ ...state, spreadIndex });
        set({ spreadIndex, selection: null, cropping: null, activePageId: left ?? right });
      },
      setActivePage: (pageId) => set({ activePageId: pageId }),
      setView: (view) => set({ view }),
      setViewport: (viewport) => set({ viewport }),
      setSaveError: (saveError) => set({ saveError }),
      copy() {
        const { selection, pages } = get();
        if (!selection) return;
        const elements = pages[selection.pageId]?.elements ?? [];
        set({ clipboard: elements.filter((e) => selection.ids.includes(e.id)) });
      },
    };
  });
}

/** The index of the spread that holds the page, or null if the page is not in the album. */
function spreadOf(
  state: Pick<EditorState, 'album' | 'order'>,
  pageId: string | null,
): number | null {
  const pageNumber = pageId === null ? 0 : state.order.indexOf(pageId) + 1;
  if (pageNumber === 0) return null;
  const spreads = spreadsFor(state.order.length, state.album.binding);
  const index = spreads.findIndex((s) => s.left === pageNumber || s.right === pageNumber);
  return index < 0 ? null : index;
}

/**
 * Brings a page into view from outside the canvas (the page strip, a conflict, a preflight
 * issue): shows its spread, makes it the active page and selects the element, if it is there.
 * False if the editor does not have the page (yet: one the strip just added comes with the
 * next reload).
 */
export function focusPage(store: EditorStore, pageId: string, elementId: string | null): boolean {
  const state = store.getState();
  const index = spreadOf(state, pageId);
  if (index === null) return false;
  if (index !== state.spreadIndex) state.showSpread(index);
  store.getState().setActivePage(pageId);
  const onPage = state.pages[pageId]?.elements.some((e) => e.id === elementId) ?? false;
  if (elementId !== null && onPage) store.getState().select({ pageId, ids: [elementId] });
  return true;
}
