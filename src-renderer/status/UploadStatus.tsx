import { useEffect, useState } from 'react';
import type { UploadProgress } from '../../src-shared/desktop/contract.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi } from '../stores/sessionStore.js';
import { failureText } from './failureText.js';

/** Finished batches stay in view this long so the designer sees them end. */
const KEEP_DONE_MS = 10_000;

const finished = (b: UploadProgress) => b.done + b.failed >= b.total;

/**
 * Upload progress in the status bar: a bar per batch, pause and resume (the queue pauses as a
 * whole), and each failed photo with its reason.
 */
export function UploadStatus() {
  const t = useT();
  const api = useApi();
  const [batches, setBatches] = useState<readonly UploadProgress[]>([]);
  // The queue pauses as a whole, also between batches: the last word wins (event or click).
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    let live = true;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const put = (b: UploadProgress) => {
      setPaused(b.paused);
      setBatches((list) => [...list.filter((x) => x.batchId !== b.batchId), b]);
      // Failures stay until the app closes; a clean batch leaves the bar after a while.
      if (finished(b) && b.failed === 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          setBatches((list) => list.filter((x) => x.batchId !== b.batchId));
        }, KEEP_DONE_MS);
        timers.add(timer);
      }
    };
    const off = api.on('uploads.progress', put);
    void api['uploads.status']({}).then((result) => {
      if (live && result.ok) result.value.forEach(put);
    });
    return () => {
      live = false;
      off();
      timers.forEach(clearTimeout);
    };
  }, [api]);

  if (batches.length === 0) return null;
  async function toggle() {
    const result = await api[paused ? 'uploads.resume' : 'uploads.pause']({});
    if (result.ok) setPaused(!paused);
  }
  return (
    <div className="upload-status" data-testid="upload-status">
      {batches.map((b) => (
        <div key={b.batchId} className="upload-batch" data-testid="upload-batch">
          <label>
            <span>
              {t(finished(b) ? 'upload.batchDone' : 'upload.batch', {
                done: b.done,
                total: b.total,
              })}
            </span>
            <progress max={b.total} value={b.done + b.failed} />
          </label>
          {b.failures.length > 0 && (
            <details className="upload-failures">
              <summary className="warn-text">{t('upload.failed', { count: b.failed })}</summary>
              <ul>
                {b.failures.map((f, i) => (
                  <li key={`${f.fileName}-${i}`}>
                    {f.fileName}: {failureText(t, f.reason)}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      ))}
      {paused && <span className="warn-text">{t('upload.paused')}</span>}
      <button type="button" className="small-button" onClick={() => void toggle()}>
        {t(paused ? 'upload.resume' : 'upload.pause')}
      </button>
    </div>
  );
}
