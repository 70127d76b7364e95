import { useState, type FormEvent } from 'react';
import type { ImportProgress } from '../../src-shared/desktop/contract.js';
import { importPathsFit } from '../../src-shared/desktop/importPaths.js';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { failureText } from '../status/failureText.js';

/** Paths, one a line: the browser host has no native file dialog, so the designer types them. */
export const parsePaths = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/** Starts `photos.import` for files and folders on this machine and shows its progress. */
export function ImportForm({
  albumId,
  progress,
}: {
  readonly albumId: string;
  readonly progress: ImportProgress | null;
}) {
  const t = useT();
  const api = useApi();
  const [text, setText] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const paths = parsePaths(text);
    if (paths.length === 0) {
      setError({ code: 'no_paths', message: '' });
      return;
    }
    if (!importPathsFit(paths)) {
      setError({ code: 'too_many_paths', message: '' });
      return;
    }
    setBusy(true);
    const result = await api['photos.import']({ albumId, paths });
    setBusy(false);
    if (result.ok) {
      setText('');
      setError(null);
    } else {
      setError(result.error);
    }
  }

  const running =
    progress !== null &&
    progress.done + progress.failed + progress.skippedDuplicates < progress.total;
  return (
    <form className="import-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t('library.importPaths')}
        <textarea
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('library.importPlaceholder')}
          spellCheck={false}
        />
      </label>
      <button type="submit" disabled={busy}>
        {t('library.import')}
      </button>
      {error && <ErrorMessage error={error} />}
      {progress && (
        <div className="import-progress" data-testid="import-progress">
          <span>
            {t(running ? 'library.importing' : 'library.imported', {
              done: progress.done,
              total: progress.total,
              skipped: progress.skippedDuplicates,
              failed: progress.failed,
            })}
          </span>
          {progress.failures.length > 0 && (
            <ul className="failures">
              {progress.failures.map((f) => (
                <li key={f.path}>
                  {f.path}: {failureText(t, f.reason)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
