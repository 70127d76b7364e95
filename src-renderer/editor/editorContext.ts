import { createContext, useContext } from 'react';
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
