import type { Migration } from './migration.js';

export const photos: Migration = {
  version: 5,
  name: 'photos',
  statements: [
    // One row per uploaded photo of an album. Object keys are derived from the album's studio
    // tenant, the album id and this row's id (blobs/blobKeys.ts); nothing here names a path.
    // `uploading` → `processing` (size checked at completion) → `ready` or `failed`. A failed
    // photo keeps its row (the reason) but no bytes.
    `CREATE TABLE photos (
      id uuid PRIMARY KEY,
      album_id uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
      uploaded_by uuid NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint NOT NULL CHECK (size > 0),
      file_name text NOT NULL,
      content_type text NOT NULL,
      status text NOT NULL CHECK (status IN ('uploading', 'processing', 'ready', 'failed')),
      failure_reason text,
      failure_message text,
      multipart_upload_id text,
      part_size integer,
      width integer,
      height integer,
      format text,
      taken_at_local text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      completed_at timestamptz,
      processing_claimed_at timestamptz,
      ready_at timestamptz,
      expires_at timestamptz,
      updated_at timestamptz NOT NULL,
      CHECK (status <> 'ready' OR (expires_at IS NOT NULL AND width IS NOT NULL))
    )`,
    // Dedup: an album holds one live photo per content hash, so a second upload of the same
    // bytes finds the first (a failed attempt does not block a new one).
    `CREATE UNIQUE INDEX photos_album_sha256 ON photos (album_id, sha256)
      WHERE status <> 'failed'`,
    `CREATE INDEX photos_album ON photos (album_id, created_at)`,
    // Jobs: pending processing, and unfinished uploads to abort after 24 hours.
    `CREATE INDEX photos_pending ON photos (status, created_at)
      WHERE status IN ('uploading', 'processing')`,
    // The parts of a multipart upload the client reported finished: a restarted client resumes
    // from here, without S3's ListParts.
    `CREATE TABLE photo_upload_parts (
      photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
      part_number integer NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
      etag text NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (photo_id, part_number)
    )`,
  ],
};
