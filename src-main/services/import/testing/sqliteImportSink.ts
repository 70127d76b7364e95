/**
 * Test-only ImportSink over a real better-sqlite3 database with a minimal photos table of its
 * own (the app's store implements the same interface). WAL with synchronous FULL: `record`
 * returns after a committed, synced transaction.
 */
import Database from 'better-sqlite3';
import type { ImportFailure, ImportSink, ImportedPhoto } from '../importTypes.js';

export interface SqliteImportSink extends ImportSink {
  readonly db: Database.Database;
  record(albumId: string, photo: ImportedPhoto): void;
  photos(albumId: string): ImportedPhoto[];
  failures(albumId: string): { path: string; reason: string }[];
  close(): void;
}

export function openSqliteImportSink(file: string): SqliteImportSink {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS photos (
      album_id TEXT NOT NULL, sha256 TEXT NOT NULL, json TEXT NOT NULL,
      UNIQUE (album_id, sha256)
    );
    CREATE TABLE IF NOT EXISTS failed_imports (
      album_id TEXT NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL
    );
  `);
  const hashes = db.prepare<[string], { sha256: string }>(
    'SELECT sha256 FROM photos WHERE album_id = ?',
  );
  const insert = db.prepare('INSERT INTO photos (album_id, sha256, json) VALUES (?, ?, ?)');
  const insertFailure = db.prepare(
    'INSERT INTO failed_imports (album_id, path, reason) VALUES (?, ?, ?)',
  );
  const list = db.prepare<[string], { json: string }>(
    'SELECT json FROM photos WHERE album_id = ? ORDER BY rowid',
  );
  const listFailures = db.prepare<[string], { path: string; reason: string }>(
    'SELECT path, reason FROM failed_imports WHERE album_id = ? ORDER BY rowid',
  );
  return {
    db,
    knownHashes: (albumId) => new Set(hashes.all(albumId).map((row) => row.sha256)),
    record(albumId, photo) {
      insert.run(albumId, photo.sha256, JSON.stringify(photo));
    },
    recordFailure(albumId, failure: ImportFailure) {
      insertFailure.run(albumId, failure.path, failure.reason);
    },
    photos: (albumId) => list.all(albumId).map((row) => JSON.parse(row.json) as ImportedPhoto),
    failures: (albumId) => listFailures.all(albumId),
    close: () => db.close(),
  };
}
