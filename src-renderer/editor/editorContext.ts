import { createContext, useContext, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import type { EditorState, EditorStore } from './editorStore.js';

/** The open album's editor store, provided by AlbumEditor (one per open album). */
export const EditorContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditor outside an AlbumEditor');
  return store;
}

export const useEditor = <T>(selector: (state: EditorState) => T): T =>
  useStore(useEditorStore(), selector);

/**
 * A value of an editor store that may not exist yet, for views outside the editor (the page
 * strip reads the active page); `fallback` until the editor has its pages.
 */
export function useEditorValue<T>(
  store: EditorStore | null,
  selector: (state: EditorState) => T,
  fallback: T,
): T {
  return useSyncExternalStore(
    (listener) => (store ? store.subscribe(listener) : () => undefined),
    () => (store ? selector(store.getState()) : fallback),
  );
}
