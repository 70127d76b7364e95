import { DesktopError } from '../../../../src-shared/desktop/api.js';
import type { NativeDialogs } from '../coreOptions.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

export function dialogHandlers(ctx: CoreContext): NamespaceHandlers<'dialogs'> {
  function requireDialogs(): NativeDialogs {
    if (ctx.options.dialogs) return ctx.options.dialogs;
    throw new DesktopError(
      'dialogs_unavailable',
      'File dialogs need the desktop app (ファイル選択はデスクトップアプリでのみ使えます)',
    );
  }
  return {
    async 'dialogs.chooseImport'({ kind }) {
      return requireDialogs().chooseImport(kind);
    },
    async 'dialogs.chooseExportFile'({ suggestedName }) {
      return requireDialogs().chooseExportFile(suggestedName);
    },
  };
}
