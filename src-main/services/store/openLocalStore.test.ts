import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { samplePage } from '../../../src-shared/model/fixtures.js';
import type { LocalStore } from './localStore.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { openLocalStore } from './openLocalStore.js';
import { ALBUM_ID, mustOpen, seedAlbum, tempDir } from './testing/tempStore.js';

const open: LocalStore[] = [];
const keep = (store: LocalStore) => (open.push(store), store);
afterEach(() => open.splice(0).forEach((s) => s.close()));

const fixedNow = () => new Date('2026-11-25T12:34:56.789Z');

describe('opening the local store', () => {
  it('uses WAL, synchronous FULL, foreign keys and a busy timeout', () => {
    const file = path.join(tempDir(), 'studio.db');
    const store = keep(mustOpen(file).store);
    expect(store.diagnostics()).toEqual({
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: true,
      busyTimeoutMs: 5000,
      schemaVersion: MIGRATIONS.length,
    });
    // WAL is a property of the file: another connection sees it too.
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('enforces foreign keys (a page needs its album)', () => {
    const store = keep(mustOpen(path.join(tempDir(), 'studio.db')).store);
    expect(() => store.pages.saveLocal('no-album', samplePage({ albumId: 'no-album' }))).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('applies each migration once, in order, across reopens', () => {
    const file = path.join(tempDir(), 'studio.db');
    const runs: number[] = [];
    const migrations: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'test step',
        up: (db) => {
          runs.push(1);
          db.exec('CREATE TABLE extra (x INTEGER) STRICT');
        },
      },
    ];
    keep(mustOpen(file, { migrations }).store).close();
    keep(mustOpen(file, { migrations }).store).close();
    expect(runs).toEqual([1]);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('rolls a failing migration back whole and reports it without moving the file', () => {
    const file = path.join(tempDir(), 'studio.db');
    keep(mustOpen(file).store).close();
    const failing: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'half a step',
        up: (db) => {
          db.exec('CREATE TABLE half (x INTEGER) STRICT');
          throw new Error('disk says no');
        },
      },
    ];
    const opened = openLocalStore({ file, now: fixedNow, migrations: failing });
    expect(opened).toMatchObject({ ok: false, error: { code: 'store_unavailable' } });
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half'").get()).toBeUndefined();
    db.close();
    expect(fs.readdirSync(path.dirname(file)).some((f) => f.includes('corrupt'))).toBe(false);
  });

  it('refuses a database from a newer app and leaves it in place', () => {
    const file = path.join(tempDir(), 'studio.db');
    keep(mustOpen(file).store).close();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    const opened = openLocalStore({ file, now: fixedNow });
    expect(opened).toMatchObject({ ok: false, error: { code: 'store_too_new' } });
    expect(fs.readdirSync(path.dirname(file)).some((f) => f.includes('corrupt'))).toBe(false);
  });

  it('reports a path it cannot open (a folder) and moves nothing', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'studio.db'));
    const opened = openLocalStore({ file: path.join(dir, 'studio.db'), now: fixedNow });
    expect(opened).toMatchObject({ ok: false, error: { code: 'store_unavailable' } });
    expect(fs.statSync(path.join(dir, 'studio.db')).isDirectory()).toBe(true);
  });

  it('keeps one client id for the life of the database', () => {
    const file = path.join(tempDir(), 'studio.db');
    const first = keep(mustOpen(file).store);
    const id = first.clientId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(first.clientId()).toBe(id);
    first.close();
    expect(keep(mustOpen(file).store).clientId()).toBe(id);
  });
});

describe('a corrupt or foreign file', () => {
  const expectRecovered = (file: string, original: Buffer) => {
    const opened = openLocalStore({ file, now: fixedNow });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const { store, recovered } = opened.value;
    keep(store);
    expect(recovered).not.toBeNull();
    expect(recovered!.movedTo).toBe(`${file}.corrupt-2026-11-25T12-34-56-789Z`);
    expect(recovered!.message).toContain(recovered!.movedTo);
    expect(recovered!.message).toMatch(/破損/);
    // Moved intact, not deleted or rewritten.
    expect(fs.readFileSync(recovered!.movedTo).equals(original)).toBe(true);
    // The fresh store works.
    seedAlbum(store);
    store.pages.saveLocal(ALBUM_ID, samplePage({ albumId: ALBUM_ID }));
    expect(store.outbox.count()).toBe(1);
    return recovered!;
  };

  it('moves aside a file that is not SQLite', () => {
    const file = path.join(tempDir(), 'studio.db');
    const text = Buffer.from('this is a shopping list, not a database\n'.repeat(200));
    fs.writeFileSync(file, text);
    const recovered = expectRecovered(file, text);
    expect(recovered?.reason).toMatch(/not a database/);
  });

  it('moves aside a database whose pages were overwritten with garbage', () => {
    const file = path.join(tempDir(), 'studio.db');
    const store = keep(mustOpen(file).store);
    seedAlbum(store);
    for (let i = 0; i < 200; i++) {
      store.pages.saveLocal(ALBUM_ID, samplePage({ albumId: ALBUM_ID, id: `p${i}`, index: i }));
    }
    store.close();
    // Checkpoint everything into the main file, then smash its middle (keep the header).
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = fs.readFileSync(file);
    const garbage = Buffer.alloc(bytes.length - 8192, 0xa5);
    garbage.copy(bytes, 4096);
    fs.writeFileSync(file, bytes);
    const recovered = expectRecovered(file, bytes);
    expect(recovered?.reason.length).toBeGreaterThan(0);
  });

  it('never reuses a taken name and starts the fresh store without the old WAL', () => {
    const dir = tempDir();
    const file = path.join(dir, 'studio.db');
    fs.writeFileSync(file, Buffer.from('garbage'.repeat(1000)));
    fs.writeFileSync(`${file}-wal`, 'stale wal');
    fs.writeFileSync(`${file}.corrupt-2026-11-25T12-34-56-789Z`, 'an earlier one');
    const opened = openLocalStore({ file, now: fixedNow });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    keep(opened.value.store);
    expect(opened.value.recovered!.movedTo).toBe(`${file}.corrupt-2026-11-25T12-34-56-789Z-1`);
    expect(fs.readFileSync(`${file}.corrupt-2026-11-25T12-34-56-789Z`, 'utf8')).toBe(
      'an earlier one',
    );
    expect(opened.value.store.outbox.count()).toBe(0);
  });

  it('treats an empty file as a new database, not as damage', () => {
    const file = path.join(tempDir(), 'studio.db');
    fs.writeFileSync(file, '');
    const opened = openLocalStore({ file, now: fixedNow });
    expect(opened).toMatchObject({ ok: true, value: { recovered: null } });
    if (opened.ok) keep(opened.value.store);
  });
});
