import type { PhotoStatus } from '../../src-shared/cloud/photos.js';
import type { Queryable } from '../db/db.js';
import type { UploadedPart } from '../blobs/blobStore.js';

/** The only code that reads or writes `photos` and `photo_upload_parts`. */

export interface PhotoRecord {
  readonly id: string;
  readonly albumId: string;
  /** The album's owning studio: the tenant part of the photo's object keys. */
  readonly keyTenantId: string;
  readonly uploadedBy: string;
  readonly sha256: string;
  readonly size: number;
  readonly fileName: string;
  readonly contentType: string;
  readonly status: PhotoStatus;
  readonly failureReason: string | null;
  readonly failureMessage: string | null;
  readonly multipartUploadId: string | null;
  readonly partSize: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly format: string | null;
  readonly takenAtLocal: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
  readonly readyAt: Date | null;
  readonly expiresAt: Date | null;
}

interface PhotoRow extends Record<string, unknown> {
  id: string;
  album_id: string;
  studio_tenant_id: string;
  uploaded_by: string;
  sha256: string;
  size: string;
  file_name: string;
  content_type: string;
  status: PhotoStatus;
  failure_reason: string | null;
  failure_message: string | null;
  multipart_upload_id: string | null;
  part_size: number | null;
  width: number | null;
  height: number | null;
  format: string | null;
  taken_at_local: string | null;
  version: number;
  created_at: Date;
  completed_at: Date | null;
  ready_at: Date | null;
  expires_at: Date | null;
}

const COLUMNS = `p.id, p.album_id, a.studio_tenant_id, p.uploaded_by, p.sha256, p.size,
  p.file_name, p.content_type, p.status, p.failure_reason, p.failure_message,
  p.multipart_upload_id, p.part_size, p.width, p.height, p.format, p.taken_at_local, p.version,
  p.created_at, p.completed_at, p.ready_at, p.expires_at`;
const FROM = `photos p JOIN albums a ON a.id = p.album_id`;

const toPhoto = (r: PhotoRow): PhotoRecord => ({
  id: r.id,
  albumId: r.album_id,
  keyTenantId: r.studio_tenant_id,
  uploadedBy: r.uploaded_by,
  sha256: r.sha256,
  size: Number(r.size),
  fileName: r.file_name,
  contentType: r.content_type,
  status: r.status,
  failureReason: r.failure_reason,
  failureMessage: r.failure_message,
  multipartUploadId: r.multipart_upload_id,
  partSize: r.part_size,
  width: r.width,
  height: r.height,
  format: r.format,
  takenAtLocal: r.taken_at_local,
  version: r.version,
  createdAt: r.created_at,
  completedAt: r.completed_at,
  readyAt: r.ready_at,
  expiresAt: r.expires_at,
});

export interface NewPhoto {
  readonly id: string;
  readonly albumId: string;
  readonly uploadedBy: string;
  readonly sha256: string;
  readonly size: number;
  readonly fileName: string;
  readonly contentType: string;
  readonly multipartUploadId: string | null;
  readonly partSize: number | null;
  readonly now: Date;
}

async function one(
  q: Queryable,
  where: string,
  params: unknown[],
): Promise<PhotoRecord | undefined> {
  const { rows } = await q.query<PhotoRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${where}`, params);
  return rows[0] === undefined ? undefined : toPhoto(rows[0]);
}

/** Updates one photo and bumps its version; returns the new state. */
async function update(
  q: Queryable,
  id: string,
  set: string,
  params: unknown[],
  onlyIfStatus?: PhotoStatus,
): Promise<PhotoRecord | undefined> {
  const statusParam = `$${params.length + 2}`;
  const { rowCount } = await q.query(
    `UPDATE photos SET ${set}, version = version + 1
      WHERE id = $1 AND (${statusParam}::text IS NULL OR status = ${statusParam}::text)`,
    [id, ...params, onlyIfStatus ?? null],
  );
  if (rowCount === 0) return undefined;
  return one(q, 'p.id = $1', [id]);
}

export const photoRepository = {
  /**
   * Inserts `uploading` photos in one statement; answers those inserted, in the order given.
   * One whose hash the album has live already is left out: the unique index decides, so two
   * racing uploads of the same bytes make one photo.
   */
  async insertManyUploading(tx: Queryable, list: readonly NewPhoto[]): Promise<PhotoRecord[]> {
    if (list.length === 0) return [];
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO photos (id, album_id, uploaded_by, sha256, size, file_name, content_type,
                           status, multipart_upload_id, part_size, created_at, updated_at)
       SELECT id, album_id, uploaded_by, sha256, size, file_name, content_type,
              'uploading', multipart_upload_id, part_size, created_at, created_at
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::text[],
                     $7::text[], $8::text[], $9::integer[], $10::timestamptz[])
           AS n (id, album_id, uploaded_by, sha256, size, file_name, content_type,
                 multipart_upload_id, part_size, created_at)
       ON CONFLICT (album_id, sha256) WHERE status <> 'failed' DO NOTHING
       RETURNING id`,
      [
        list.map((p) => p.id),
        list.map((p) => p.albumId),
        list.map((p) => p.uploadedBy),
        list.map((p) => p.sha256),
        list.map((p) => p.size),
        list.map((p) => p.fileName),
        list.map((p) => p.contentType),
        list.map((p) => p.multipartUploadId),
        list.map((p) => p.partSize),
        list.map((p) => p.now),
      ],
    );
    if (rows.length === 0) return [];
    const { rows: inserted } = await tx.query<PhotoRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    );
    const byId = new Map(inserted.map((row) => [row.id, toPhoto(row)]));
    return list.flatMap((p) => byId.get(p.id) ?? []);
  },

  /** The album's live (not failed) photo with this content hash. */
  findByHash: (q: Queryable, albumId: string, sha256: string) =>
    one(q, `p.album_id = $1 AND p.sha256 = $2 AND p.status <> 'failed'`, [albumId, sha256]),

  find: (q: Queryable, albumId: string, photoId: string) =>
    one(q, `p.album_id = $1 AND p.id = $2`, [albumId, photoId]),

  async lock(q: Queryable, albumId: string, photoId: string): Promise<PhotoRecord | undefined> {
    await q.query(`SELECT 1 FROM photos WHERE album_id = $1 AND id = $2 FOR UPDATE`, [
      albumId,
      photoId,
    ]);
    return one(q, `p.album_id = $1 AND p.id = $2`, [albumId, photoId]);
  },

  async list(q: Queryable, albumId: string): Promise<PhotoRecord[]> {
    const { rows } = await q.query<PhotoRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE p.album_id = $1 ORDER BY p.created_at, p.id`,
      [albumId],
    );
    return rows.map(toPhoto);
  },

  async byIds(q: Queryable, albumId: string, ids: readonly string[]): Promise<PhotoRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await q.query<PhotoRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE p.album_id = $1 AND p.id = ANY($2::uuid[])`,
      [albumId, [...ids]],
    );
    return rows.map(toPhoto);
  },

  /** Live photos of the album among these hashes (dedup check before upload). */
  async byHashes(q: Queryable, albumId: string, hashes: readonly string[]): Promise<PhotoRecord[]> {
    if (hashes.length === 0) return [];
    const { rows } = await q.query<PhotoRow>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE p.album_id = $1 AND p.sha256 = ANY($2::text[]) AND p.status <> 'failed'`,
      [albumId, [...hashes]],
    );
    return rows.map(toPhoto);
  },

  async recordPart(tx: Queryable, photoId: string, part: UploadedPart, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO photo_upload_parts (photo_id, part_number, etag, recorded_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (photo_id, part_number) DO UPDATE SET etag = $3, recorded_at = $4`,
      [photoId, part.partNumber, part.etag, at],
    );
  },

  async listParts(q: Queryable, photoId: string): Promise<UploadedPart[]> {
    const { rows } = await q.query<{ part_number: number; etag: string }>(
      `SELECT part_number, etag FROM photo_upload_parts WHERE photo_id = $1 ORDER BY part_number`,
      [photoId],
    );
    return rows.map((r) => ({ partNumber: r.part_number, etag: r.etag }));
  },

  markProcessing: (tx: Queryable, id: string, at: Date) =>
    update(
      tx,
      id,
      `status = 'processing', completed_at = $2, updated_at = $2, processing_claimed_at = NULL`,
      [at],
      'uploading',
    ),

  markFailed: (
    tx: Queryable,
    id: string,
    failure: { reason: string; message: string; expiresAt: Date; at: Date },
  ) =>
    update(
      tx,
      id,
      `status = 'failed', failure_reason = $2, failure_message = $3, expires_at = $4,
       updated_at = $5`,
      [failure.reason, failure.message, failure.expiresAt, failure.at],
    ),

  markReady: (
    tx: Queryable,
    id: string,
    ready: {
      width: number;
      height: number;
      format: string;
      takenAtLocal: string | null;
      expiresAt: Date;
      at: Date;
    },
  ) =>
    update(
      tx,
      id,
      `status = 'ready', width = $2, height = $3, format = $4, taken_at_local = $5,
       expires_at = $6, ready_at = $7, updated_at = $7`,
      [ready.width, ready.height, ready.format, ready.takenAtLocal, ready.expiresAt, ready.at],
      'processing',
    ),

  /**
   * Claims up to `limit` photos waiting in `processing` whose claim is older than `staleBefore`
   * (or never made), so that two instances never process one photo at once and a photo left
   * by a crashed instance is taken up again later.
   */
  async claimProcessing(
    tx: Queryable,
    at: Date,
    staleBefore: Date,
    limit: number,
    photoId?: string,
  ): Promise<PhotoRecord[]> {
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE photos SET processing_claimed_at = $1
        WHERE id IN (
          SELECT id FROM photos
           WHERE status = 'processing'
             AND (processing_claimed_at IS NULL OR processing_claimed_at < $2)
             AND ($4::uuid IS NULL OR id = $4::uuid)
           ORDER BY completed_at, id
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [at, staleBefore, limit, photoId ?? null],
    );
    if (rows.length === 0) return [];
    const { rows: photos } = await tx.query<PhotoRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = ANY($1::uuid[]) ORDER BY p.completed_at, p.id`,
      [rows.map((r) => r.id)],
    );
    return photos.map(toPhoto);
  },

  /** Uploads started before `cutoff` and never completed. */
  async staleUploads(q: Queryable, cutoff: Date, limit: number): Promise<PhotoRecord[]> {
    const { rows } = await q.query<PhotoRow>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE p.status = 'uploading' AND p.created_at < $1
        ORDER BY p.created_at, p.id LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map(toPhoto);
  },

  /** Deletes an upload that is still `uploading` (a completion may have won the race). */
  async deleteIfUploading(tx: Queryable, id: string): Promise<number | undefined> {
    const { rows } = await tx.query<{ version: number }>(
      `DELETE FROM photos WHERE id = $1 AND status = 'uploading' RETURNING version`,
      [id],
    );
    return rows[0]?.version;
  },
};
