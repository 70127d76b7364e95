import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleAlbum } from '../../../src-shared/model/fixtures.js';
import type { LocalStore } from './localStore.js';
import { ALBUM_ID, mustOpen, seedAlbum, tempDir } from './testing/tempStore.js';

let store: LocalStore;
let file: string;
beforeEach(() => {
  file = path.join(tempDir(), 'studio.db');
  store = mustOpen(file).store;
});
afterEach(() => store.close());

describe('accounts', () => {
  it('upserts by server and user, and finds by login', () => {
    const id = seedAlbum(store);
    const again = store.accounts.upsert({
      serverUrl: 'https://cloud.example.test',
      userId: 'user-1',
      loginId: 'designer@example.test',
      tenantId: 'tenant-1',
      role: 'admin',
      displayName: '山田 花子',
    });
    expect(again.id).toBe(id);
    expect(
      store.accounts.findByLogin('https://cloud.example.test', 'designer@example.test')?.role,
    ).toBe('admin');
    expect(store.accounts.list()).toHaveLength(1);
  });

  it('has no place for a token or password anywhere in the schema', () => {
    const db = new Database(file, { readonly: true });
    const columns = db
      .prepare(
        `SELECT m.name AS tbl, c.name AS col FROM sqlite_schema m, pragma_table_info(m.name) c
          WHERE m.type = 'table'`,
      )
      .all() as { tbl: string; col: string }[];
    db.close();
    expect(columns.length).toBeGreaterThan(30);
    expect(columns.filter((c) => /token|secret|password/i.test(c.col))).toEqual([]);
  });
});

describe('albums', () => {
  it('keeps the newest server version and flags lost access', () => {
    const accountId = seedAlbum(store);
    store.albums.upsertRemote(accountId, sampleAlbum({ title: 'v3' }), 3);
    store.albums.upsertRemote(accountId, sampleAlbum({ title: 'v2' }), 2);
    expect(store.albums.markAccessLost(ALBUM_ID)).toBe(true);
    const got = store.albums.get(ALBUM_ID);
    expect(got.ok && got.value).toMatchObject({
      album: { title: 'v3' },
      serverVersion: 3,
      accessLost: true,
    });
    const list = store.albums.list(accountId);
    expect(list.ok && list.value.map((a) => a.album.id)).toEqual([ALBUM_ID]);
  });
});

describe('settings and cursors', () => {
  it('stores JSON settings and reads them back through a schema', () => {
    store.settings.set('upload.concurrency', 6);
    store.settings.set('ui', { language: 'ja' });
    expect(store.settings.get('upload.concurrency', z.int().min(1).max(8))).toBe(6);
    expect(store.settings.get('ui', z.object({ language: z.enum(['ja', 'en']) }))).toEqual({
      language: 'ja',
    });
    // An outdated or unexpected value reads as missing, not as a crash.
    expect(store.settings.get('upload.concurrency', z.string())).toBeUndefined();
    store.settings.delete('ui');
    expect(store.settings.get('ui', z.unknown())).toBeUndefined();
  });

  it('keeps a change-feed cursor per album, refusing nonsense', () => {
    seedAlbum(store);
    expect(store.cursors.get(ALBUM_ID)).toBe(0);
    store.cursors.set(ALBUM_ID, 17);
    expect(store.cursors.get(ALBUM_ID)).toBe(17);
    expect(() => store.cursors.set(ALBUM_ID, -1)).toThrow(RangeError);
  });
});
