import type { ActionName } from './actions.js';
import type { PageDelta } from './elementDeltas.js';

/** One undoable step: the action's name (its label in the UI) and what it changed. */
export interface HistoryEntry {
  readonly name: ActionName;
  readonly deltas: readonly PageDelta[];
}

export interface History {
  readonly undo: readonly HistoryEntry[];
  readonly redo: readonly HistoryEntry[];
}

export const EMPTY_HISTORY: History = { undo: [], redo: [] };
/** Enough for a working session; the oldest steps fall off. */
export const HISTORY_LIMIT = 500;

/** A new local step: it goes on the undo stack and clears the redo stack. */
export const recordStep = (history: History, entry: HistoryEntry): History => ({
  undo: [...history.undo, entry].slice(-HISTORY_LIMIT),
  redo: [],
});

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
