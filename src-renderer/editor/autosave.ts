import type { Page } from '../../src-shared/model/page.js';
import type { AppError, Result } from '../../src-shared/result.js';

/** At most this long between an edit and its save (the promise is within 1 s). */
export const AUTOSAVE_DELAY_MS = 300;

export interface Autosave {
  /** These pages changed locally: save them after the delay (one save per page). */
  readonly schedule: (pageIds: readonly string[]) => void;
  /** Saves whatever is waiting now (page hidden, window closing, editor closed). */
  readonly flush: () => Promise<void>;
  /** Pages changed and not yet saved: sync must not overwrite them in the editor. */
  readonly pendingPages: () => ReadonlySet<string>;
}

/**
 * Debounced saving of edited pages through the desktop API's `pages.save`. A failed save keeps
 * the page pending (saved with the next change or flush) and is reported to `onError`; only a
 * page that no longer exists is given up.
 */
export function createAutosave(deps: {
  readonly read: (pageId: string) => Page | undefined;
  readonly save: (page: Page) => Promise<Result<null>>;
  readonly onError: (error: AppError | null) => void;
  readonly delayMs?: number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}): Autosave {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const pending = new Set<string>();
  const inFlight = new Set<string>();
  let timer: unknown = null;
  let chain: Promise<void> = Promise.resolve();

  const saveAll = (): Promise<void> => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    const ids = [...pending];
    pending.clear();
    for (const id of ids) inFlight.add(id);
    // Saves run one after another, so an older copy never lands after a newer one.
    chain = chain.then(async () => {
      let failure: AppError | null = null;
      for (const id of ids) {
        const page = deps.read(id);
        const result = page ? await deps.save(page) : { ok: true as const, value: null };
        inFlight.delete(id);
        if (!result.ok) {
          failure = result.error;
          // A page deleted meanwhile (in the strip) took this edit with it: retrying cannot help.
          if (result.error.code !== 'page_not_found') pending.add(id);
        }
      }
      deps.onError(failure);
    });
    return chain;
  };

  return {
    schedule(pageIds) {
      for (const id of pageIds) pending.add(id);
      if (timer !== null) clearTimer(timer);
      timer = setTimer(() => void saveAll(), deps.delayMs ?? AUTOSAVE_DELAY_MS);
    },
    flush: saveAll,
    pendingPages: () => new Set([...pending, ...inFlight]),
  };
}
