import { basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import { droppedFiles, type DroppedFiles } from './albumRepository.js';

export const PHOTO_STATES = [
  'imported',
  'queued',
  'uploading',
  'uploaded',
  'ready',
  'failed',
  'expired',
] as const;
export type PhotoState = (typeof PHOTO_STATES)[number];

/** `local`: imported on this computer from `filePath`; `remote`: another computer uploaded it. */
export type PhotoOrigin = 'local' | 'remote';

/** A photo another computer uploaded, as the change feed reports it (always `ready`). */
export interface RemotePhotoInput {
  readonly albumId: string;
  readonly serverPhotoId: string;
  readonly sha256: string;
  readonly fileName: string;
  readonly byteSize: number;
  readonly width: number;
  readonly height: number;
  readonly exifDate: string | null;
}

export interface ImportedPhotoInput {
  readonly albumId: string;
  readonly sha256: string;
  readonly filePath: string;
  readonly byteSize: number;
  readonly width: number;
  readonly height: number;
  /** EXIF orientation 1-8, null when absent. */
  readonly orientation: number | null;
  /** EXIF DateTimeOriginal as written in the file, null when absent. */
  readonly exifDate: string | null;
  readonly thumbnailPath: string | null;
  /** The `photos.import` call that brought it in (the library's batch filter). */
  readonly importBatchId?: string | null;
}

export interface FailedImportInput {
  readonly albumId: string;
  readonly filePath: string;
  readonly reason: string;
  readonly sha256?: string | null;
  readonly byteSize?: number | null;
}

export interface PhotoRecord {
  readonly id: string;
  readonly albumId: string;
  readonly sha256: string | null;
  readonly filePath: string;
  readonly byteSize: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly orientation: number | null;
  readonly exifDate: string | null;
  readonly thumbnailPath: string | null;
  readonly serverPhotoId: string | null;
  readonly state: PhotoState;
  readonly failureReason: string | null;
  readonly importedAt: string;
  readonly importBatchId: string | null;
  readonly origin: PhotoOrigin;
  /** The file's name: from the local path, or as the uploading computer named it. */
  readonly fileName: string;
}

/**
 * The name page elements use for a photo on every computer: its SHA-256 (decision 17). Rows
 * without a hash (failed imports) cannot be placed and keep their local id.
 */
export const contentIdOf = (photo: Pick<PhotoRecord, 'id' | 'sha256'>): string =>
  photo.sha256 ?? photo.id;

interface PhotoRow {
  id: string;
  album_id: string;
  sha256: string | null;
  file_path: string;
  byte_size: number | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  exif_date: string | null;
  thumbnail_path: string | null;
  server_photo_id: string | null;
  state: PhotoState;
  failure_reason: string | null;
  imported_at: string;
  import_batch: string | null;
  origin: PhotoOrigin;
  file_name: string | null;
}

export const photoRecord = (r: PhotoRow): PhotoRecord => ({
  id: r.id,
  albumId: r.album_id,
  sha256: r.sha256,
  filePath: r.file_path,
  byteSize: r.byte_size,
  width: r.width,
  height: r.height,
  orientation: r.orientation,
  exifDate: r.exif_date,
  thumbnailPath: r.thumbnail_path,
  serverPhotoId: r.server_photo_id,
  state: r.state,
  failureReason: r.failure_reason,
  importedAt: r.imported_at,
  importBatchId: r.import_batch,
  origin: r.origin,
  fileName: r.file_name ?? basename(r.file_path),
});

export interface PhotoRepositoryDeps {
  readonly db: Database;
  readonly now: () => Date;
  readonly randomId: () => string;
}

export function createPhotoRepository({ db, now, randomId }: PhotoRepositoryDeps) {
  const insert = db.prepare(
    `INSERT INTO photos (id, album_id, sha256, file_path, byte_size, width, height, orientation,
                         exif_date, thumbnail_path, state, failure_reason, imported_at, updated_at,
                         import_batch)
     VALUES (@id, @albumId, @sha256, @filePath, @byteSize, @width, @height, @orientation,
             @exifDate, @thumbnailPath, @state, @failureReason, @at, @at, @importBatchId)`,
  );
  const enqueue = db.prepare(
    `INSERT INTO upload_queue (photo_id, step, next_attempt_at, enqueued_at)
     VALUES (?, 'check', ?, ?)`,
  );
  const byId = db.prepare<[string], PhotoRow>('SELECT * FROM photos WHERE id = ?');
  const bySha = db.prepare<[string, string], PhotoRow>(
    `SELECT * FROM photos WHERE album_id = ? AND sha256 = ? AND state <> 'failed'`,
  );
  const byServerId = db.prepare<[string, string], PhotoRow>(
    'SELECT * FROM photos WHERE album_id = ? AND server_photo_id = ?',
  );
  const thumbnailUsers = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM photos WHERE thumbnail_path = ?',
  );
  const byAlbum = db.prepare<[string], PhotoRow>(
    'SELECT * FROM photos WHERE album_id = ? ORDER BY imported_at, id',
  );
  const inState = db.prepare<[PhotoState], PhotoRow>(
    'SELECT * FROM photos WHERE state = ? ORDER BY imported_at, id',
  );
  const counts = db.prepare<[string], { state: PhotoState; n: number }>(
    'SELECT state, count(*) AS n FROM photos WHERE album_id = ? GROUP BY state',
  );
  const setState = db.prepare(
    `UPDATE photos SET state = ?, failure_reason = ?, updated_at = ? WHERE id = ?`,
  );
  const setThumbnail = db.prepare(
    'UPDATE photos SET thumbnail_path = ?, updated_at = ? WHERE id = ?',
  );
  const remove = db.prepare('DELETE FROM photos WHERE id = ?');
  const insertRemote = db.prepare(
    `INSERT INTO photos (id, album_id, sha256, file_path, byte_size, width, height, orientation,
                         exif_date, thumbnail_path, server_photo_id, state, failure_reason,
                         imported_at, updated_at, origin, file_name)
     VALUES (@id, @albumId, @sha256, '', @byteSize, @width, @height, NULL, @exifDate, NULL,
             @serverPhotoId, 'ready', NULL, @at, @at, 'remote', @fileName)`,
  );
  const adopt = db.prepare(
    `UPDATE photos SET origin = 'local', file_name = NULL, file_path = @filePath,
                       byte_size = @byteSize, orientation = @orientation,
                       thumbnail_path = coalesce(thumbnail_path, @thumbnailPath),
                       import_batch = @importBatchId, updated_at = @at
     WHERE id = @id`,
  );
  const contentUsers = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM photos WHERE sha256 = ?',
  );
  const remoteWithoutThumbnail = db.prepare<[string], PhotoRow>(
    `SELECT * FROM photos WHERE album_id = ? AND origin = 'remote' AND thumbnail_path IS NULL
      ORDER BY imported_at, id`,
  );

  const at = () => now().toISOString();

  const insertImported = db.transaction(
    (
      input: ImportedPhotoInput,
      options: { enqueue: boolean },
    ): { inserted: true; photo: PhotoRecord } | { inserted: false; existing: PhotoRecord } => {
      const existing = bySha.get(input.albumId, input.sha256);
      if (existing?.origin === 'remote') {
        // Another computer uploaded these bytes; now this one has the file: print from it.
        // The server has the photo already, so nothing is queued.
        adopt.run({
          id: existing.id,
          filePath: input.filePath,
          byteSize: input.byteSize,
          orientation: input.orientation,
          thumbnailPath: input.thumbnailPath,
          importBatchId: input.importBatchId ?? null,
          at: at(),
        });
        return { inserted: true, photo: photoRecord(byId.get(existing.id)!) };
      }
      if (existing) return { inserted: false, existing: photoRecord(existing) };
      const id = randomId();
      insert.run({
        ...input,
        importBatchId: input.importBatchId ?? null,
        id,
        state: options.enqueue ? 'queued' : 'imported',
        failureReason: null,
        at: at(),
      });
      if (options.enqueue) enqueue.run(id, now().getTime(), now().getTime());
      return { inserted: true, photo: photoRecord(byId.get(id)!) };
    },
  );

  const removeByServerId = db.transaction(
    (albumId: string, serverPhotoId: string): DroppedFiles => {
      const rows = byServerId.all(albumId, serverPhotoId);
      for (const r of rows) remove.run(r.id);
      return droppedFiles(rows);
    },
  );

  return {
    /**
     * Records an imported file and (by default) queues its upload, in one transaction, so a
     * kill right after "done" loses neither. A file already in the album is not added twice;
     * one the album has as a remote photo makes that photo local (not queued: it is uploaded).
     */
    insertImported: (input: ImportedPhotoInput, options = { enqueue: true }) =>
      insertImported(input, options),
    /** A file that could not be imported, kept with its reason for the import report. */
    insertFailed: (input: FailedImportInput): PhotoRecord => {
      const id = randomId();
      insert.run({
        id,
        albumId: input.albumId,
        sha256: input.sha256 ?? null,
        filePath: input.filePath,
        byteSize: input.byteSize ?? null,
        width: null,
        height: null,
        orientation: null,
        exifDate: null,
        thumbnailPath: null,
        importBatchId: null,
        state: 'failed',
        failureReason: input.reason,
        at: at(),
      });
      return photoRecord(byId.get(id)!);
    },
    /**
     * Records a photo of the album that another computer uploaded, so the library lists it and
     * its pixel size is known; its thumbnail and original come from the server when needed.
     */
    insertRemote: (input: RemotePhotoInput): PhotoRecord => {
      const id = randomId();
      insertRemote.run({ ...input, id, at: at() });
      return photoRecord(byId.get(id)!);
    },
    /** Resolves a page element's photo reference (a content id, see `contentIdOf`). */
    findByContentId: (albumId: string, contentId: string): PhotoRecord | null => {
      const r = bySha.get(albumId, contentId) ?? byId.get(contentId);
      return r && r.album_id === albumId ? photoRecord(r) : null;
    },
    /** Remote photos whose thumbnail has not been fetched yet. */
    remoteWithoutThumbnail: (albumId: string): PhotoRecord[] =>
      remoteWithoutThumbnail.all(albumId).map(photoRecord),
    /** Whether any photo (any album) still has these bytes: its cached original stays. */
    contentInUse: (sha256: string): boolean => (contentUsers.get(sha256)?.n ?? 0) > 0,
    get: (id: string): PhotoRecord | null => {
      const r = byId.get(id);
      return r ? photoRecord(r) : null;
    },
    findBySha256: (albumId: string, sha256: string): PhotoRecord | null => {
      const r = bySha.get(albumId, sha256);
      return r ? photoRecord(r) : null;
    },
    findByServerId: (albumId: string, serverPhotoId: string): PhotoRecord | null => {
      const r = byServerId.get(albumId, serverPhotoId);
      return r ? photoRecord(r) : null;
    },
    list: (albumId: string, filter: { states?: readonly PhotoState[] } = {}): PhotoRecord[] => {
      const rows = byAlbum.all(albumId).map(photoRecord);
      return filter.states ? rows.filter((p) => filter.states!.includes(p.state)) : rows;
    },
    /** Every photo in one state, across albums (e.g. `uploaded` ones waiting to be ready). */
    inState: (state: PhotoState): PhotoRecord[] => inState.all(state).map(photoRecord),
    countByState: (albumId: string): Partial<Record<PhotoState, number>> =>
      Object.fromEntries(counts.all(albumId).map((c) => [c.state, c.n])),
    /** For server-side transitions (ready, expired); upload steps go through the queue. */
    setState: (id: string, state: PhotoState, failureReason: string | null = null): boolean =>
      setState.run(state, failureReason, at(), id).changes > 0,
    setThumbnail: (id: string, thumbnailPath: string): boolean =>
      setThumbnail.run(thumbnailPath, at(), id).changes > 0,
    /** Thumbnails are named by content: the same photo in two albums shares one file. */
    thumbnailInUse: (thumbnailPath: string): boolean =>
      (thumbnailUsers.get(thumbnailPath)?.n ?? 0) > 0,
    /** Retention or a server deletion: drops the rows and returns their files to delete. */
    removeByServerId: (albumId: string, serverPhotoId: string) =>
      removeByServerId(albumId, serverPhotoId),
    remove: (id: string): DroppedFiles => {
      const r = byId.get(id);
      if (!r) return droppedFiles([]);
      remove.run(id);
      return droppedFiles([r]);
    },
  };
}

export type PhotoRepository = ReturnType<typeof createPhotoRepository>;
