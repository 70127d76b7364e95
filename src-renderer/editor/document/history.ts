import type { ActionName } from './actions.js';
import type { PageDelta } from './elementDeltas.js';

/** One undoable step: the action's name (its label in the UI) and what it changed. */
export interface HistoryEntry {
  readonly name: ActionName;
  readonly deltas: readonly PageDelta[];
  /**
   * Steps of one continuous gesture (a colour picker dragged through many colours) carry the
   * same key and become one step: undo goes back to before the gesture.
   */
  readonly mergeKey?: string;
}

export interface History {
  readonly undo: readonly HistoryEntry[];
  readonly redo: readonly HistoryEntry[];
}

export const EMPTY_HISTORY: History = { undo: [], redo: [] };
/** Enough for a working session; the oldest steps fall off. */
export const HISTORY_LIMIT = 500;

/**
 * A new local step: it goes on the undo stack and clears the redo stack. A step with the same
 * `mergeKey` as the newest one is merged into it instead.
 */
export function recordStep(history: History, entry: HistoryEntry): History {
  const last = history.undo.at(-1);
  if (entry.mergeKey !== undefined && last?.mergeKey === entry.mergeKey) {
    return { undo: [...history.undo.slice(0, -1), mergeSteps(last, entry)], redo: [] };
  }
  return { undo: [...history.undo, entry].slice(-HISTORY_LIMIT), redo: [] };
}

const deltaKey = (d: PageDelta): string =>
  d.kind === 'element' ? `${d.pageId}/e/${d.id}` : `${d.pageId}/background`;

/** `later` after `earlier` as one step: per element, the first `before` and the last `after`. */
export function mergeSteps(earlier: HistoryEntry, later: HistoryEntry): HistoryEntry {
  const merged = new Map(earlier.deltas.map((d) => [deltaKey(d), d]));
  for (const d of later.deltas) {
    const first = merged.get(deltaKey(d));
    merged.set(
      deltaKey(d),
      first === undefined ? d : ({ ...d, before: first.before } as PageDelta),
    );
  }
  // An element added and removed again within the gesture leaves nothing to undo.
  const deltas = [...merged.values()].filter(
    (d) => d.kind !== 'element' || d.before !== null || d.after !== null,
  );
  return { ...later, deltas };
}

/** Moves the newest step to the redo stack; the caller applies its inverse. */
export function takeUndo(history: History): { history: History; entry: HistoryEntry } | null {
  const entry = history.undo.at(-1);
  if (!entry) return null;
  return { history: { undo: history.undo.slice(0, -1), redo: [...history.redo, entry] }, entry };
}

/** Moves the newest undone step back to the undo stack; the caller applies it again. */
export function takeRedo(history: History): { history: History; entry: HistoryEntry } | null {
  const entry = history.redo.at(-1);
  if (!entry) return null;
  return { history: { undo: [...history.undo, entry], redo: history.redo.slice(0, -1) }, entry };
}
