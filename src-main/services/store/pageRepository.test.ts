import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { samplePage } from '../../../src-shared/model/fixtures.js';
import type { Page, TextBox } from '../../../src-shared/model/page.js';
import { mergePage } from '../../../src-shared/merge/mergePage.js';
import type { LocalStore } from './localStore.js';
import { ALBUM_ID, mustOpen, seedAlbum, tempDir } from './testing/tempStore.js';

let store: LocalStore;
let file: string;
beforeEach(() => {
  file = path.join(tempDir(), 'studio.db');
  store = mustOpen(file).store;
  seedAlbum(store);
});
afterEach(() => store.close());

const page = (overrides: Partial<Page> = {}) => samplePage({ albumId: ALBUM_ID, ...overrides });
const withTitle = (p: Page, text: string): Page => ({
  ...p,
  elements: p.elements.map((e) => (e.kind === 'text' ? { ...e, text } : e)),
});
const title = (p: Page) => (p.elements.find((e) => e.kind === 'text') as TextBox).text;
const merge = ({ base, local, remote }: { base: Page | null; local: Page; remote: Page }) =>
  mergePage(base ?? remote, local, remote).merged;
const maybeRecord = (pageId = 'page-1') => {
  const r = store.pages.get(ALBUM_ID, pageId);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const record = (pageId = 'page-1') => {
  const r = maybeRecord(pageId);
  if (!r) throw new Error(`page ${pageId} not stored`);
  return r;
};

describe('saving a page locally', () => {
  it('writes the page, marks it dirty and queues it, with increasing mutation numbers', () => {
    const first = store.pages.saveLocal(ALBUM_ID, page());
    const second = store.pages.saveLocal(ALBUM_ID, withTitle(page(), '二回目'));
    expect(second.mutationNo).toBeGreaterThan(first.mutationNo);
    expect(record()).toMatchObject({ dirty: true, deleted: false, base: null, serverVersion: 0 });
    expect(title(record().local)).toBe('二回目');
    // One outbox row per page, carrying the latest mutation.
    expect(store.outbox.list()).toEqual([
      expect.objectContaining({
        albumId: ALBUM_ID,
        pageId: 'page-1',
        mutationNo: second.mutationNo,
      }),
    ]);
  });

  it('lists the live pages in page order', () => {
    store.pages.saveLocal(ALBUM_ID, page({ id: 'b', index: 1 }));
    store.pages.saveLocal(ALBUM_ID, page({ id: 'a', index: 0 }));
    store.pages.saveLocal(ALBUM_ID, page({ id: 'c', index: 2 }));
    const list = store.pages.list(ALBUM_ID);
    expect(list.ok && list.value.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('refuses an invalid page or one of another album, writing nothing', () => {
    const bad = { ...page(), elements: [{ id: 'x', kind: 'video' }] } as unknown as Page;
    expect(() => store.pages.saveLocal(ALBUM_ID, bad)).toThrow(/refusing/);
    expect(() => store.pages.saveLocal('other', page())).toThrow(/belongs to album/);
    expect(maybeRecord()).toBeNull();
    expect(store.outbox.count()).toBe(0);
  });

  it('leaves nothing half-written when a transaction throws', () => {
    store.pages.saveLocal(ALBUM_ID, page({ id: 'kept' }));
    const before = store.nextMutationNo();
    expect(() =>
      store.transaction(() => {
        store.pages.saveLocal(ALBUM_ID, page({ id: 'p1' }));
        store.pages.saveLocal(ALBUM_ID, withTitle(page({ id: 'kept' }), 'changed'));
        store.cursors.set(ALBUM_ID, 99);
        throw new Error('crash in the middle');
      }),
    ).toThrow('crash in the middle');
    expect(maybeRecord('p1')).toBeNull();
    expect(title(record('kept').local)).toBe(title(page()));
    expect(store.outbox.list().map((o) => o.pageId)).toEqual(['kept']);
    expect(store.cursors.get(ALBUM_ID)).toBe(0);
    expect(store.nextMutationNo()).toBe(before + 1);
  });

  it('reports a damaged stored document instead of throwing or hiding it', () => {
    store.pages.saveLocal(ALBUM_ID, page());
    const raw = new Database(file);
    raw.prepare('UPDATE pages SET local_document = \'{"schemaVersion":1}\'').run();
    raw.close();
    const got = store.pages.get(ALBUM_ID, 'page-1');
    expect(got).toMatchObject({ ok: false, error: { code: 'local_document_invalid' } });
    expect(store.pages.list(ALBUM_ID).ok).toBe(false);
  });
});

describe('after a push', () => {
  it('a push of the latest save leaves the page clean, based on the server copy', () => {
    const { mutationNo } = store.pages.saveLocal(ALBUM_ID, page());
    const serverPage = page({ version: 1 });
    expect(store.pages.markPushed(ALBUM_ID, 'page-1', { mutationNo, serverPage })).toBe('clean');
    expect(record()).toMatchObject({ dirty: false, serverVersion: 1, mutationNo: null });
    expect(record().base).toEqual(serverPage);
    expect(store.outbox.count()).toBe(0);
  });

  it('a save made while the push was in flight stays dirty for the next push', () => {
    const { mutationNo } = store.pages.saveLocal(ALBUM_ID, page());
    const later = store.pages.saveLocal(ALBUM_ID, withTitle(page(), 'while pushing'));
    const result = store.pages.markPushed(ALBUM_ID, 'page-1', {
      mutationNo,
      serverPage: page({ version: 1 }),
    });
    expect(result).toBe('still_dirty');
    expect(record()).toMatchObject({ dirty: true, serverVersion: 1, mutationNo: later.mutationNo });
    expect(title(record().local)).toBe('while pushing');
    expect(record().local.version).toBe(1);
  });
});

describe('changes from the server', () => {
  it('inserts new pages and replaces clean ones; ignores stale copies', () => {
    expect(store.pages.applyRemote(page({ version: 1 }), merge)).toBe('inserted');
    expect(store.pages.applyRemote(withTitle(page({ version: 2 }), 'v2'), merge)).toBe('replaced');
    expect(store.pages.applyRemote(withTitle(page({ version: 1 }), 'old'), merge)).toBe('stale');
    expect(record()).toMatchObject({ dirty: false, serverVersion: 2 });
    expect(title(record().local)).toBe('v2');
    expect(store.outbox.count()).toBe(0);
  });

  it('merges into a dirty page, keeping it dirty and moving its base', () => {
    store.pages.applyRemote(page({ version: 1 }), merge);
    const local = page({ version: 1 });
    local.elements = local.elements.map((e) => (e.kind === 'shape' ? { ...e, x: 99 } : e));
    store.pages.saveLocal(ALBUM_ID, local);
    const remote = withTitle(page({ version: 2 }), 'remote title');
    expect(store.pages.applyRemote(remote, merge)).toBe('merged');
    const merged = record();
    expect(merged).toMatchObject({ dirty: true, serverVersion: 2 });
    expect(merged.base).toEqual(remote);
    expect(title(merged.local)).toBe('remote title');
    expect(merged.local.elements.find((e) => e.kind === 'shape')?.x).toBe(99);
    expect(store.outbox.count()).toBe(1);
  });

  it('a remote edit wins over a pending local deletion, and is reported as such', () => {
    store.pages.applyRemote(page({ version: 1 }), merge);
    store.pages.deleteLocal(ALBUM_ID, 'page-1');
    expect(store.pages.applyRemote(page({ version: 2 }), merge)).toBe('undeleted');
    expect(record()).toMatchObject({ dirty: false, deleted: false });
    expect(store.outbox.count()).toBe(0);
  });

  it('a tombstone removes a clean page but keeps unpushed edits for the caller', () => {
    store.pages.applyRemote(page({ id: 'clean', version: 1 }), merge);
    store.pages.applyRemote(page({ id: 'edited', version: 1 }), merge);
    store.pages.saveLocal(ALBUM_ID, page({ id: 'edited', version: 1 }));
    expect(store.pages.applyRemoteDeletion(ALBUM_ID, 'clean')).toBe('removed');
    expect(store.pages.applyRemoteDeletion(ALBUM_ID, 'edited')).toBe('kept_dirty');
    expect(store.pages.applyRemoteDeletion(ALBUM_ID, 'never')).toBe('absent');
    expect(maybeRecord('clean')).toBeNull();
    expect(record('edited').dirty).toBe(true);
  });
});

describe('deleting a page locally', () => {
  it('drops a never-pushed page outright', () => {
    store.pages.saveLocal(ALBUM_ID, page());
    expect(store.pages.deleteLocal(ALBUM_ID, 'page-1')).toBe('removed');
    expect(maybeRecord()).toBeNull();
    expect(store.outbox.count()).toBe(0);
  });

  it('queues the deletion of a pushed page until the server confirms it', () => {
    store.pages.applyRemote(page({ version: 3 }), merge);
    const deleted = store.pages.deleteLocal(ALBUM_ID, 'page-1');
    if (typeof deleted !== 'object') throw new Error('expected a queued deletion');
    expect(record()).toMatchObject({ dirty: true, deleted: true });
    const live = store.pages.list(ALBUM_ID);
    expect(live.ok && live.value).toEqual([]);
    expect(store.pages.markDeletionPushed(ALBUM_ID, 'page-1', deleted.mutationNo)).toBe('removed');
    expect(maybeRecord()).toBeNull();
  });
});
