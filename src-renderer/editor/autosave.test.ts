import { describe, expect, it } from 'vitest';
import { samplePage } from '../../src-shared/model/fixtures.js';
import type { Page } from '../../src-shared/model/page.js';
import type { Result } from '../../src-shared/result.js';
import { AUTOSAVE_DELAY_MS, createAutosave } from './autosave.js';

/** `fail`: the error code every save answers with, or false. */
function setup(fail: string | false = false) {
  const pages: Record<string, Page> = {
    'page-1': samplePage(),
    'page-2': samplePage({ id: 'page-2' }),
  };
  const saved: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const errors: (string | null)[] = [];
  const autosave = createAutosave({
    read: (id) => pages[id],
    save: (page): Promise<Result<null>> => {
      saved.push(page.id);
      return Promise.resolve(
        fail ? { ok: false, error: { code: fail, message: 'x' } } : { ok: true, value: null },
      );
    },
    onError: (e) => errors.push(e?.code ?? null),
    setTimer: (fn, ms) => {
      const t = { fn, ms };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => timers.splice(timers.indexOf(t as (typeof timers)[0]), 1),
  });
  return { autosave, saved, timers, errors };
}

describe('autosave', () => {
  it('debounces edits (well under a second) and saves each page once', async () => {
    const { autosave, saved, timers } = setup();
    autosave.schedule(['page-1']);
    autosave.schedule(['page-1', 'page-2']);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(AUTOSAVE_DELAY_MS);
    expect(AUTOSAVE_DELAY_MS).toBeLessThanOrEqual(500);
    expect(autosave.pendingPages()).toEqual(new Set(['page-1', 'page-2']));
    timers[0]!.fn();
    await autosave.flush();
    expect(saved).toEqual(['page-1', 'page-2']);
    expect(autosave.pendingPages().size).toBe(0);
  });

  it('flush saves at once (closing, hidden page)', async () => {
    const { autosave, saved, timers } = setup();
    autosave.schedule(['page-2']);
    await autosave.flush();
    expect(saved).toEqual(['page-2']);
    expect(timers).toHaveLength(0);
  });

  it('a failed save stays pending and is reported', async () => {
    const { autosave, errors } = setup('store_unavailable');
    autosave.schedule(['page-1']);
    await autosave.flush();
    expect(errors).toEqual(['store_unavailable']);
    expect(autosave.pendingPages()).toEqual(new Set(['page-1']));
  });

  it('drops the edit of a page deleted meanwhile, once reported', async () => {
    const { autosave, errors, saved } = setup('page_not_found');
    autosave.schedule(['page-1']);
    await autosave.flush();
    expect(errors).toEqual(['page_not_found']);
    expect(autosave.pendingPages().size).toBe(0);
    await autosave.flush();
    expect(saved).toEqual(['page-1']);
  });
});
