import { describe, expect, it } from 'vitest';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import {
  DESKTOP_EVENTS,
  type EventName,
  type EventPayload,
  type PhotoSummary,
} from '../../src-shared/desktop/contract.js';
import { sampleAlbum, samplePage } from '../../src-shared/model/fixtures.js';
import type { Page } from '../../src-shared/model/page.js';
import { openEditorSession, type EditorSession } from './editorSession.js';

const album = sampleAlbum();

/**
 * A desktop API over pages and photos held here, with the calls made to it counted and its
 * events sent through the contract's schemas.
 */
function fakeDesktop(pages: Page[]) {
  const disk = new Map(pages.map((p) => [p.id, p]));
  const photos: PhotoSummary[] = [];
  const calls: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  const api = {
    'pages.list': () => {
      calls.push('pages.list');
      return ok([...disk.values()]);
    },
    'pages.save': () => {
      calls.push('pages.save');
      return ok(null);
    },
    'photos.list': () => {
      calls.push('photos.list');
      return ok([...photos]);
    },
    on(event: string, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  } as unknown as DesktopApi;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const parsed = DESKTOP_EVENTS[event].parse(payload);
    for (const listener of listeners.get(event) ?? []) listener(parsed);
  };
  const count = (method: string) => calls.filter((c) => c === method).length;
  const listening = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);
  return { api, disk, photos, calls, emit, count, listening };
}

/** Waits until `check` holds (the session's reads are promises), within a generous deadline. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
}

async function open(fake: ReturnType<typeof fakeDesktop>) {
  let session: EditorSession | null = null;
  const errors: string[] = [];
  const opened = openEditorSession({
    api: fake.api,
    album: { ...album, id: 'album-1' },
    onOpen: (s) => (session = s),
    onError: (e) => errors.push(e.code),
  });
  await until(() => session !== null && fake.calls.includes('photos.list'));
  return { session: session!, opened, errors };
}

const progress = (albumId: string, done: number, total = 10) => ({
  batchId: 'batch-1',
  albumId,
  total,
  done,
  skippedDuplicates: 0,
  failed: 0,
  bytesDone: done * 1000,
  etaSeconds: null,
  failures: [],
});

describe('editor session', () => {
  const pageA = samplePage({ id: 'page-1', index: 0, albumId: 'album-1' });
  const pageB = samplePage({ id: 'page-2', index: 1, albumId: 'album-1', elements: [] });
  const pageC = samplePage({ id: 'page-3', index: 2, albumId: 'album-1', elements: [] });
  const blue = { kind: 'color' as const, color: '#0000ff' };

  it('reloads only the pages a pages.changed event names', async () => {
    const fake = fakeDesktop([pageA, pageB, pageC]);
    const { session, opened } = await open(fake);
    const before = session.store.getState().pages;

    // Pages 1 and 2 changed on disk, page 3 went, page 4 came; the event names 2 and 4 only.
    fake.disk.set('page-1', { ...pageA, background: blue });
    fake.disk.set('page-2', { ...pageB, background: blue });
    fake.disk.delete('page-3');
    fake.disk.set('page-4', samplePage({ id: 'page-4', index: 3, albumId: 'album-1' }));
    fake.emit('pages.changed', { albumId: 'album-1', pageIds: ['page-2', 'page-4'] });
    await until(() => session.store.getState().order.length === 4);

    const after = session.store.getState();
    expect(after.order).toEqual(['page-1', 'page-2', 'page-3', 'page-4']);
    expect(after.pages['page-1']).toBe(before['page-1']);
    expect(after.pages['page-2']?.background).toEqual(blue);
    expect(after.pages['page-3']).toBe(before['page-3']);

    // Named now, page 3 goes; page 1 is still the editor's.
    fake.emit('pages.changed', { albumId: 'album-1', pageIds: ['page-3'] });
    await until(() => session.store.getState().order.length === 3);
    expect(session.store.getState().order).toEqual(['page-1', 'page-2', 'page-4']);
    expect(session.store.getState().pages['page-1']).toBe(before['page-1']);

    // Another album's change is not this editor's: only the second event here lists pages
    // (a reload the first one started would have listed before it).
    const lists = fake.count('pages.list');
    fake.emit('pages.changed', { albumId: 'album-2', pageIds: ['page-1'] });
    fake.emit('pages.changed', { albumId: 'album-1', pageIds: [] });
    await until(() => fake.count('pages.list') > lists);
    expect(fake.count('pages.list')).toBe(lists + 1);
    opened.close();
  });

  it('keeps a page edited while its reload ran', async () => {
    const fake = fakeDesktop([pageA, pageB]);
    const { session, opened } = await open(fake);
    const before = session.store.getState().pages['page-2'];
    fake.disk.set('page-2', { ...pageB, background: blue });
    fake.emit('pages.changed', { albumId: 'album-1', pageIds: ['page-2'] });
    // An edit of page 2 before the reload's list arrives.
    session.store.getState().perform('setBackground', {
      pageId: 'page-2',
      background: { kind: 'color', color: '#ff0000' },
    });
    await until(() => fake.count('pages.list') === 2);
    await until(() => session.store.getState().pages['page-2'] !== before);
    expect(session.store.getState().pages['page-2']?.background).toEqual({
      kind: 'color',
      color: '#ff0000',
    });
    opened.close();
  });

  it('reads the photos when an import batch ends, not on every progress tick', async () => {
    const fake = fakeDesktop([pageA]);
    const { session, opened } = await open(fake);
    // A read starts as the event arrives, so counting right after each event is exact.
    const photoLists = () => fake.count('photos.list');
    expect(photoLists()).toBe(1);

    fake.photos.push({
      id: 'photo-1',
      albumId: 'album-1',
      fileName: 'a.jpg',
      width: 3000,
      height: 2000,
      takenAtLocal: null,
      state: 'imported',
      failureReason: null,
      thumbnailUrl: '/thumbnails/photo-1',
      importBatchId: 'batch-1',
      importedAt: '2026-03-01T00:00:00.000Z',
      placements: 0,
    });
    for (let done = 0; done < 10; done++) fake.emit('import.progress', progress('album-1', done));
    fake.emit('import.progress', progress('album-2', 10));
    expect(photoLists()).toBe(1);

    fake.emit('import.progress', progress('album-1', 10));
    expect(photoLists()).toBe(2);
    await until(() => session.store.getState().photos['photo-1'] !== undefined);
    expect(session.store.getState().photos['photo-1']).toEqual({
      widthPx: 3000,
      heightPx: 2000,
      thumbnailUrl: '/thumbnails/photo-1',
    });

    // Sync's photo changes still read them at once.
    fake.emit('photos.changed', { albumId: 'album-1' });
    expect(photoLists()).toBe(3);
    opened.close();
  });

  it('stops listening when closed', async () => {
    const fake = fakeDesktop([pageA]);
    const { opened } = await open(fake);
    expect(fake.listening()).toBe(3);
    opened.close();
    expect(fake.listening()).toBe(0);
  });
});
