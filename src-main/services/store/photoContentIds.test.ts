import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleAlbum, samplePage } from '../../../src-shared/model/fixtures.js';
import { DEFAULT_PLACEMENT, type Page } from '../../../src-shared/model/page.js';
import type { LocalStore } from './localStore.js';
import { runMigrations } from './migrate.js';
import { MIGRATIONS } from './migrations.js';
import { ALBUM_ID, mustOpen, tempDir } from './testing/tempStore.js';

const open: LocalStore[] = [];
const keep = (store: LocalStore) => (open.push(store), store);
afterEach(() => open.splice(0).forEach((s) => s.close()));

const HASH = 'ab'.repeat(32);

/** A page as schema 2 wrote it: a frame and the background naming this computer's row id. */
function placing(localId: string, base: Page): Page {
  return {
    ...base,
    background: { kind: 'photo', photoId: localId, placement: DEFAULT_PLACEMENT },
    elements: base.elements.map((e) => (e.kind === 'image' ? { ...e, photoId: localId } : e)),
  };
}

describe('schema step 3: photos named by content', () => {
  it('renames local ids to hashes in the local copy, queues the page, keeps the base, asks for a photo backfill', () => {
    const file = path.join(tempDir(), 'studio.db');
    // Dev data as schema 2 left it; the store's own statements already know schema 3.
    const raw = new Database(file);
    runMigrations(raw, MIGRATIONS.slice(0, 2));
    raw
      .prepare(
        `INSERT INTO accounts (id, server_url, user_id, login_id, tenant_id, role, display_name,
                               updated_at)
         VALUES (1, 'https://cloud.example.test', 'u', 'd', 't', 'designer', 'D', 'x')`,
      )
      .run();
    raw
      .prepare(
        `INSERT INTO albums (id, account_id, document, server_version, updated_at)
         VALUES (?, 1, ?, 1, 'x')`,
      )
      .run(ALBUM_ID, JSON.stringify(sampleAlbum()));
    const localId = 'b3c1f0de-1111-4222-8333-944455556666';
    raw
      .prepare(
        `INSERT INTO photos (id, album_id, sha256, file_path, state, imported_at, updated_at)
         VALUES (?, ?, ?, '/library/a.jpg', 'ready', 'x', 'x')`,
      )
      .run(localId, ALBUM_ID, HASH);
    const page = { ...placing(localId, samplePage({ albumId: ALBUM_ID })), version: 3 };
    // The server has this page (pushed with the old ids); it is clean here.
    const foreign = {
      ...placing('someone-elses-id', samplePage({ albumId: ALBUM_ID, id: 'page-2', index: 1 })),
      version: 1,
    };
    for (const p of [page, foreign]) {
      raw
        .prepare(
          `INSERT INTO pages (album_id, page_id, position, local_document, base_document,
                              server_version, dirty, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 0, 'x')`,
        )
        .run(ALBUM_ID, p.id, p.index, JSON.stringify(p), JSON.stringify(p), p.version);
    }
    raw.prepare('INSERT INTO sync_cursors (album_id, last_seq) VALUES (?, 57)').run(ALBUM_ID);
    raw.close();

    const store = keep(mustOpen(file).store);
    const record = store.pages.get(ALBUM_ID, page.id);
    if (!record.ok || !record.value) throw new Error('page missing');
    expect(record.value.local.background).toMatchObject({ photoId: HASH });
    const frames = record.value.local.elements.filter((e) => e.kind === 'image');
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => f.photoId === HASH)).toBe(true);
    // The base is what the server holds, so the push (or a merge) carries the new names there.
    expect(record.value.base?.background).toMatchObject({ photoId: localId });
    expect(record.value).toMatchObject({ dirty: true, serverVersion: 3 });
    expect(store.outbox.list({ albumId: ALBUM_ID }).map((o) => o.pageId)).toEqual([page.id]);
    const untouched = store.pages.get(ALBUM_ID, 'page-2');
    expect(untouched.ok && untouched.value?.local).toEqual(foreign);
    // The cursor stays; the album's photos are read once instead (sync/feedPull.ts).
    expect(store.cursors.get(ALBUM_ID)).toBe(57);
    expect(store.settings.get('sync.photoBackfill', z.array(z.string()))).toEqual([ALBUM_ID]);
    expect(store.photos.get(localId)).toMatchObject({ origin: 'local', fileName: 'a.jpg' });
    // Without the step's new columns the store could not have opened at all; and it is idempotent.
    store.close();
    open.splice(0);
    const again = keep(mustOpen(file).store);
    expect(again.outbox.list({ albumId: ALBUM_ID })).toHaveLength(1);
  });

  it('on a new database, asks for no backfill', () => {
    const store = keep(mustOpen(path.join(tempDir(), 'studio.db')).store);
    expect(store.settings.get('sync.photoBackfill', z.unknown())).toBeUndefined();
  });
});
