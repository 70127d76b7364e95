import { spreadsFor } from '../../../src-shared/geometry/spreads.js';
import { useT } from '../../i18n/i18nStore.js';
import { useEditor } from '../editorContext.js';
import type { EditorCommands } from '../editorCommands.js';

/** Add elements, zoom, undo/redo, z-order, delete, and which spread is shown. */
export function Toolbar({ commands }: { readonly commands: EditorCommands }) {
  const t = useT();
  const history = useEditor((s) => s.history);
  const hasSelection = useEditor((s) => (s.selection?.ids.length ?? 0) > 0);
  const zoom = useEditor((s) => s.view?.zoom ?? 1);
  const spreadIndex = useEditor((s) => s.spreadIndex);
  const spreadCount = useEditor((s) => spreadsFor(s.order.length, s.album.binding).length);
  const saveError = useEditor((s) => s.saveError);
  const lastUndo = history.undo.at(-1);
  const lastRedo = history.redo.at(-1);
  const button = (label: string, onClick: () => void, disabled = false, title?: string) => (
    <button
      type="button"
      className="tool"
      onClick={onClick}
      disabled={disabled}
      title={title ?? label}
    >
      {label}
    </button>
  );
  return (
    <div className="editor-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
      <div className="tool-group">
        {button(t('editor.add.text'), () => commands.add('text', t('editor.newText')))}
        {button(t('editor.add.rect'), () => commands.add('rect', ''))}
        {button(t('editor.add.ellipse'), () => commands.add('ellipse', ''))}
        {button(t('editor.add.line'), () => commands.add('line', ''))}
      </div>
      <div className="tool-group">
        {button(
          t('editor.undo'),
          () => commands.undo(),
          !lastUndo,
          lastUndo ? t('editor.undoNamed', { action: t(`action.${lastUndo.name}`) }) : undefined,
        )}
        {button(
          t('editor.redo'),
          () => commands.redo(),
          !lastRedo,
          lastRedo ? t('editor.redoNamed', { action: t(`action.${lastRedo.name}`) }) : undefined,
        )}
      </div>
      <div className="tool-group">
        {button(t('editor.z.front'), () => commands.zOrder('front'), !hasSelection)}
        {button(t('editor.z.forward'), () => commands.zOrder('forward'), !hasSelection)}
        {button(t('editor.z.backward'), () => commands.zOrder('backward'), !hasSelection)}
        {button(t('editor.z.back'), () => commands.zOrder('back'), !hasSelection)}
        {button(t('editor.duplicate'), () => commands.duplicate(), !hasSelection)}
        {button(t('editor.delete'), () => commands.remove(), !hasSelection)}
      </div>
      <div className="tool-group">
        {button('−', () => commands.zoomBy(1 / 1.25), false, t('editor.zoomOut'))}
        <span className="zoom-level" data-testid="zoom-level" aria-label={t('editor.zoomLevel')}>
          {Math.round(zoom * 100)}%
        </span>
        {button('+', () => commands.zoomBy(1.25), false, t('editor.zoomIn'))}
        {button(t('editor.zoomFit'), () => commands.zoomFit())}
        {button('100%', () => commands.zoomActual(), false, t('editor.zoomActual'))}
      </div>
      <div className="tool-group">
        {button(
          '‹',
          () => commands.showSpread(spreadIndex - 1),
          spreadIndex === 0,
          t('editor.prevSpread'),
        )}
        <span data-testid="spread-position">
          {t('editor.spreadPosition', { n: spreadIndex + 1, count: spreadCount })}
        </span>
        {button(
          '›',
          () => commands.showSpread(spreadIndex + 1),
          spreadIndex >= spreadCount - 1,
          t('editor.nextSpread'),
        )}
      </div>
      <span
        className={saveError ? 'save-state error' : 'save-state'}
        role="status"
        data-testid="save-state"
      >
        {saveError ? t('editor.saveFailed') : ''}
      </span>
    </div>
  );
}
