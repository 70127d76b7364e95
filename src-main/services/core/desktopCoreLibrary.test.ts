import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-shared/desktop/contract.js';
import { DEFAULT_PLACEMENT, type Page } from '../../../src-shared/model/page.js';
import { createMemoryCredentialStore } from '../credentials/memoryCredentialStore.js';
import { createEventHub } from '../events/eventHub.js';
import { createImportWorkerPool, type ImportWorkerPool } from '../import/importWorkerPool.js';
import type { LocalStore } from '../store/localStore.js';
import { ALBUM_ID, mustOpen, seedAlbum } from '../store/testing/tempStore.js';
import { createConflictLog } from '../sync/conflictLog.js';
import { createDesktopCore, type DesktopCore } from './desktopCore.js';

/**
 * The photo library and the conflicts list through the desktop core, on a real local store
 * and real import workers (no cloud: both answer from the local store).
 */
let dir: string;
let store: LocalStore;
let workers: ImportWorkerPool;
let core: DesktopCore;
const events = createEventHub((error) => {
  throw error;
});

async function writeJpeg(name: string, seed: number, date: string | null): Promise<string> {
  const path = join(dir, 'photos', name);
  let image = sharp({
    create: { width: 60, height: 40, channels: 3, background: { r: seed * 50, g: 90, b: 30 } },
  });
  if (date) image = image.withExif({ IFD2: { DateTimeOriginal: date } });
  await image.jpeg().toFile(path);
  return path;
}

async function importAndWait(paths: string[]): Promise<string> {
  const done = new Promise<EventPayload<'import.progress'>>((resolve) => {
    const off = events.subscribe('import.progress', (p) => {
      if (p.done + p.failed + p.skippedDuplicates === p.total) {
        off();
        resolve(p);
      }
    });
  });
  const started = await core.handlers['photos.import']({ albumId: ALBUM_ID, paths });
  const progress = await done;
  expect(progress.batchId).toBe(started.batchId);
  expect(progress.done).toBe(paths.length);
  return started.batchId;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weebum-core-library-'));
  mkdirSync(join(dir, 'photos'));
  store = mustOpen(join(dir, 'studio.db')).store;
  seedAlbum(store);
  workers = createImportWorkerPool({ size: 1 });
  core = createDesktopCore({
    store,
    credentials: createMemoryCredentialStore({
      persistent: false,
      reason: 'no_keychain',
      message: 'test',
      detail: 'test',
    }),
    events,
    workers,
    thumbnailsDir: join(dir, 'thumbnails'),
    fontsDir: join(import.meta.dirname, '../../../assets/fonts'),
    trustedCa: () => undefined,
    thumbnailUrl: (id) => `/thumbnails/${id}`,
    now: () => new Date(),
    log: () => undefined,
  });
}, 60_000);

afterAll(async () => {
  await core.close();
  await workers.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('photos.list', () => {
  it('lists photos with their import batch and placement count, filtered', async () => {
    const first = await importAndWait([
      await writeJpeg('march.jpg', 1, '2026:03:14 09:30:00'),
      await writeJpeg('undated.jpg', 2, null),
    ]);
    const second = await importAndWait([await writeJpeg('april.jpg', 3, '2026:04:01 12:00:00')]);
    const all = await core.handlers['photos.list']({ albumId: ALBUM_ID });
    const byName = new Map(all.map((p) => [p.fileName, p]));
    expect(byName.get('march.jpg')).toMatchObject({ importBatchId: first, placements: 0 });
    expect(byName.get('april.jpg')).toMatchObject({ importBatchId: second, width: 60 });

    // Place april twice (a frame and the background) on the first page.
    const april = byName.get('april.jpg')!.id;
    const page = await core.handlers['pages.add']({ albumId: ALBUM_ID, afterPageId: null });
    const placed: Page = {
      ...page,
      background: { kind: 'photo', photoId: april, placement: DEFAULT_PLACEMENT },
      elements: [
        {
          id: 'frame-1',
          kind: 'image',
          x: 10,
          y: 10,
          width: 50,
          height: 40,
          rotation: 0,
          locked: false,
          photoId: april,
          placement: DEFAULT_PLACEMENT,
        },
      ],
    };
    await core.handlers['pages.save']({ albumId: ALBUM_ID, page: placed });

    const names = async (filter: Record<string, string>) =>
      (await core.handlers['photos.list']({ albumId: ALBUM_ID, ...filter }))
        .map((p) => p.fileName)
        .sort();
    expect(await names({ batchId: first })).toEqual(['march.jpg', 'undated.jpg']);
    expect(await names({ placed: 'used' })).toEqual(['april.jpg']);
    expect(await names({ placed: 'unused' })).toEqual(['march.jpg', 'undated.jpg']);
    expect(await names({ takenFrom: '2026-03-01', takenTo: '2026-03-31' })).toEqual(['march.jpg']);
    const used = await core.handlers['photos.list']({ albumId: ALBUM_ID, placed: 'used' });
    expect(used[0]?.placements).toBe(2);
  }, 60_000);
});

describe('conflicts', () => {
  it('lists the kept conflicts per album, counts them on the album, and dismisses them', async () => {
    const log = createConflictLog({
      settings: store.settings,
      randomId: () => `c-${Math.random().toString(36).slice(2)}`,
      now: () => new Date('2026-11-25T10:00:00Z'),
    });
    const added = log.record(ALBUM_ID, [
      {
        pageId: 'p1',
        conflict: {
          kind: 'field',
          elementId: 'title-1',
          field: 'text',
          localValue: 'a',
          remoteValue: 'b',
        },
      },
    ]);
    log.record('another-album', [
      {
        pageId: 'p9',
        conflict: {
          kind: 'order',
          elementId: null,
          field: 'elements',
          localValue: [],
          remoteValue: [],
        },
      },
    ]);
    expect(await core.handlers['conflicts.list']({ albumId: ALBUM_ID })).toEqual([
      {
        id: added[0]!.id,
        albumId: ALBUM_ID,
        pageId: 'p1',
        elementId: 'title-1',
        field: 'text',
        kind: 'field',
        detectedAt: '2026-11-25T10:00:00.000Z',
      },
    ]);
    expect(await core.handlers['conflicts.list']({})).toHaveLength(2);
    expect((await core.handlers['sync.status']({})).conflicts).toBe(2);
    await core.handlers['conflicts.dismiss']({ ids: [added[0]!.id, 'unknown'] });
    expect(await core.handlers['conflicts.list']({ albumId: ALBUM_ID })).toEqual([]);
    expect((await core.handlers['sync.status']({})).conflicts).toBe(1);
  });
});

describe('pages added, deleted and reordered outside the editor', () => {
  it('are announced as pages.changed, so the open editor reloads them', async () => {
    const changes: EventPayload<'pages.changed'>[] = [];
    const off = events.subscribe('pages.changed', (c) => changes.push(c));
    try {
      const before = (await core.handlers['pages.list']({ albumId: ALBUM_ID })).map((p) => p.id);
      const added = await core.handlers['pages.add']({ albumId: ALBUM_ID, afterPageId: null });
      expect(changes.at(-1)).toEqual({ albumId: ALBUM_ID, pageIds: [added.id, ...before] });

      const order = (await core.handlers['pages.list']({ albumId: ALBUM_ID }))
        .sort((a, b) => a.index - b.index)
        .map((p) => p.id);
      const reversed = [...order].reverse();
      await core.handlers['pages.reorder']({ albumId: ALBUM_ID, pageIds: reversed });
      const moved = reversed.filter((id, i) => order.indexOf(id) !== i);
      expect(changes.at(-1)).toEqual({ albumId: ALBUM_ID, pageIds: moved });
      const listed = await core.handlers['pages.list']({ albumId: ALBUM_ID });
      expect([...listed].sort((a, b) => a.index - b.index).map((p) => p.id)).toEqual(reversed);

      await core.handlers['pages.delete']({ albumId: ALBUM_ID, pageId: added.id });
      expect(changes.at(-1)).toEqual({ albumId: ALBUM_ID, pageIds: [added.id] });
      expect(changes).toHaveLength(3);
    } finally {
      off();
    }
  });
});

describe('a late save from the editor', () => {
  it('keeps the place a reorder gave the page, and does not bring a deleted page back', async () => {
    const order = (await core.handlers['pages.list']({ albumId: ALBUM_ID }))
      .sort((a, b) => a.index - b.index)
      .map((p) => p.id);
    const first = (await core.handlers['pages.list']({ albumId: ALBUM_ID })).find(
      (p) => p.id === order[0],
    )!;
    // The editor holds page 1 as it was; the strip moves it last before the editor saves.
    await core.handlers['pages.reorder']({
      albumId: ALBUM_ID,
      pageIds: [...order.slice(1), first.id],
    });
    await core.handlers['pages.save']({
      albumId: ALBUM_ID,
      page: { ...first, background: { kind: 'color', color: '#ffeedd' } },
    });
    const after = await core.handlers['pages.list']({ albumId: ALBUM_ID });
    const saved = after.find((p) => p.id === first.id)!;
    expect(saved.background).toEqual({ kind: 'color', color: '#ffeedd' });
    expect(saved.index).toBe(order.length - 1);
    expect(new Set(after.map((p) => p.index)).size).toBe(order.length);

    await core.handlers['pages.delete']({ albumId: ALBUM_ID, pageId: first.id });
    await expect(
      core.handlers['pages.save']({ albumId: ALBUM_ID, page: saved }),
    ).rejects.toMatchObject({
      code: 'page_not_found',
    });
    const left = await core.handlers['pages.list']({ albumId: ALBUM_ID });
    expect(left.map((p) => p.id)).not.toContain(first.id);
  });
});
