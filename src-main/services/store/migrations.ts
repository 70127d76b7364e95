import type { Database } from 'better-sqlite3';
import { migrateToPhotoContentIds } from './photoContentIds.js';

/** One schema step. `version` is what `PRAGMA user_version` reads after it has run. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database) => void;
}

const v1 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Who signed in where. Tokens never live here: the refresh token is in the OS keychain.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  server_url TEXT NOT NULL,
  user_id TEXT NOT NULL,
  login_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  role TEXT NOT NULL,
  display_name TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (server_url, user_id)
) STRICT;

CREATE TABLE albums (
  id TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  document TEXT NOT NULL,
  server_version INTEGER NOT NULL,
  access_lost INTEGER NOT NULL DEFAULT 0 CHECK (access_lost IN (0, 1)),
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX albums_account ON albums(account_id);

-- local_document: the copy the user edits; base_document: the last server copy (merge base),
-- NULL for a page never pushed.
CREATE TABLE pages (
  album_id TEXT NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
  page_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  local_document TEXT NOT NULL,
  base_document TEXT,
  server_version INTEGER NOT NULL DEFAULT 0,
  dirty INTEGER NOT NULL CHECK (dirty IN (0, 1)),
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (album_id, page_id)
) STRICT;
CREATE INDEX pages_album_position ON pages(album_id, position);

-- One row per dirty page: the mutation number of its latest local save.
CREATE TABLE outbox (
  mutation_no INTEGER PRIMARY KEY,
  album_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (album_id, page_id),
  FOREIGN KEY (album_id, page_id) REFERENCES pages(album_id, page_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE photos (
  id TEXT PRIMARY KEY,
  album_id TEXT NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
  sha256 TEXT CHECK (sha256 IS NULL OR (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*')),
  file_path TEXT NOT NULL,
  byte_size INTEGER,
  width INTEGER,
  height INTEGER,
  orientation INTEGER,
  exif_date TEXT,
  thumbnail_path TEXT,
  server_photo_id TEXT,
  state TEXT NOT NULL CHECK (state IN
    ('imported', 'queued', 'uploading', 'uploaded', 'ready', 'failed', 'expired')),
  failure_reason TEXT,
  imported_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
-- A file already in the album is a duplicate; a failed item does not block a later good import.
CREATE UNIQUE INDEX photos_album_sha256 ON photos(album_id, sha256)
  WHERE sha256 IS NOT NULL AND state <> 'failed';
CREATE INDEX photos_album_state ON photos(album_id, state);
CREATE INDEX photos_server_id ON photos(server_photo_id) WHERE server_photo_id IS NOT NULL;

CREATE TABLE upload_queue (
  photo_id TEXT PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
  step TEXT NOT NULL CHECK (step IN ('check', 'request', 'put', 'parts', 'complete')),
  upload_id TEXT,
  parts_done TEXT NOT NULL DEFAULT '[]',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  enqueued_at INTEGER NOT NULL
) STRICT;
CREATE INDEX upload_queue_due ON upload_queue(next_attempt_at, enqueued_at);

CREATE TABLE sync_cursors (
  album_id TEXT PRIMARY KEY REFERENCES albums(id) ON DELETE CASCADE,
  last_seq INTEGER NOT NULL CHECK (last_seq >= 0)
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

/** Ordered, append-only: never edit a shipped step, add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', up: (db) => db.exec(v1) },
  // The photo library filters by import batch; photos imported before have none.
  {
    version: 2,
    name: 'photos remember their import batch',
    up: (db) => db.exec('ALTER TABLE photos ADD COLUMN import_batch TEXT'),
  },
  // Decision 16: pages name photos by SHA-256; photos other computers uploaded are kept.
  {
    version: 3,
    name: 'photos named by content, remote photos',
    up: (db) => migrateToPhotoContentIds(db, () => new Date()),
  },
];
