import type { EditorCommands } from './editorCommands.js';
import type { EditorStore } from './editorStore.js';

const editingText = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Keyboard shortcuts while the editor is open: Ctrl/Cmd+Z undo, Shift+Z or Y redo, Delete,
 * arrows nudge (1 mm, 10 mm with Shift), Ctrl+D duplicate, Ctrl+C / V copy and paste,
 * Ctrl+A select all, Escape ends photo adjusting and clears the selection. Keys typed into a
 * field belong to the field. Returns the unbind function.
 */
export function bindShortcuts(
  target: Window,
  store: EditorStore,
  commands: EditorCommands,
): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (editingText(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    const handled = () => e.preventDefault();
    if (mod && key === 'z') {
      handled();
      if (e.shiftKey) commands.redo();
      else commands.undo();
    } else if (mod && key === 'y') {
      handled();
      commands.redo();
    } else if (mod && key === 'd') {
      handled();
      commands.duplicate();
    } else if (mod && key === 'c') {
      commands.copy();
    } else if (mod && key === 'v') {
      handled();
      commands.paste();
    } else if (mod && key === 'a') {
      handled();
      commands.selectAll();
    } else if (key === 'delete' || key === 'backspace') {
      handled();
      commands.remove();
    } else if (key === 'escape') {
      if (store.getState().cropping) store.getState().setCropping(null);
      else store.getState().select(null);
    } else if (key.startsWith('arrow')) {
      const step = e.shiftKey ? 10 : 1;
      const dx = key === 'arrowleft' ? -step : key === 'arrowright' ? step : 0;
      const dy = key === 'arrowup' ? -step : key === 'arrowdown' ? step : 0;
      if (store.getState().selection?.ids.length) {
        handled();
        commands.nudge(dx, dy);
      }
    }
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
