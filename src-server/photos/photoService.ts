import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { requireWritable, visibleAlbum } from '../albums/albumGate.js';
import type { AlbumRecord } from '../albums/albumRepository.js';
import { appendChange, appendChanges } from '../albums/changeFeed.js';
import type { PhotoVariant } from '../../src-shared/cloud/photos.js';
import { MAX_PHOTO_BYTES, type AcceptedContentType } from '../../src-shared/cloud/uploads.js';
import { photoKey } from '../blobs/blobKeys.js';
import type { BlobStore, UploadedPart } from '../blobs/blobStore.js';
import type { Db, Queryable } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { AuthContext } from '../http/authContext.js';
import { photoRepository as photos, type PhotoRecord } from './photoRepository.js';

/** One PUT below this size; multipart (8 MiB parts) from it (DESIGN.md, Photo upload). */
export const SINGLE_PUT_MAX_BYTES = 64 * 1024 * 1024;
export const PART_BYTES = 8 * 1024 * 1024;
/** Upload URLs; a client that needs longer asks again (the same call resumes). */
export const UPLOAD_URL_SECONDS = 60 * 60;
/** Download URLs are short-lived: they are handed out after the permission check. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;

export interface UploadRequest {
  readonly sha256: string;
  readonly size: number;
  readonly fileName: string;
  readonly contentType: AcceptedContentType;
}

export type UploadSession =
  | {
      readonly kind: 'single';
      readonly url: string;
      /** Send exactly these headers with the PUT (the URL is signed for them). */
      readonly headers: Record<string, string>;
      readonly expiresAt: string;
    }
  | {
      readonly kind: 'multipart';
      readonly partSize: number;
      readonly parts: { partNumber: number; size: number; url: string }[];
      /** Parts already reported finished: skip them when resuming. */
      readonly completedParts: UploadedPart[];
      readonly expiresAt: string;
    };

export interface UploadAnswer {
  readonly photo: PhotoRecord;
  /** The album already had these bytes: nothing to upload. */
  readonly duplicate: boolean;
  readonly upload: UploadSession | null;
}

const photoNotFound = () => new ApiError(404, 'not_found', 'Not found');
const originalKey = (p: PhotoRecord) => photoKey(p.keyTenantId, p.albumId, p.id, 'original');
const partCount = (p: PhotoRecord) => Math.ceil(p.size / (p.partSize ?? PART_BYTES));

const photoChanged = (tx: Queryable, photo: PhotoRecord) =>
  appendChange(tx, {
    albumId: photo.albumId,
    entity: 'photo',
    entityId: photo.id,
    op: 'upsert',
    version: photo.version,
  });

/**
 * Photo upload (check, start or resume, parts, complete), status and download URLs. Keys come
 * only from blobKeys.ts with server ids (P3). Only the uploader may record parts or complete
 * an upload; anyone else, and any other album, gets 404.
 */
export function createPhotoService(deps: {
  db: Db;
  blobs: BlobStore;
  now: () => Date;
  /** A photo is waiting for processing (the photo processor runs it in the background). */
  onProcessing: () => void;
  /** An upload request came in: processing gives way to uploads (photoProcessor.ts). */
  onUploadActivity?: () => void;
}) {
  const { db, blobs, now } = deps;
  const uploadActivity = deps.onUploadActivity ?? (() => undefined);

  async function session(photo: PhotoRecord): Promise<UploadSession> {
    const key = originalKey(photo);
    const expiresAt = new Date(now().getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
    if (photo.multipartUploadId === null) {
      const put = await blobs.presignPut(key, {
        contentLength: photo.size,
        contentType: photo.contentType,
        expiresInSeconds: UPLOAD_URL_SECONDS,
      });
      return { kind: 'single', url: put.url, headers: { ...put.headers }, expiresAt };
    }
    const partSize = photo.partSize ?? PART_BYTES;
    const parts = [];
    for (let n = 1; n <= partCount(photo); n++) {
      parts.push({
        partNumber: n,
        size: Math.min(partSize, photo.size - (n - 1) * partSize),
        url: await blobs.presignPart(key, photo.multipartUploadId, n, UPLOAD_URL_SECONDS),
      });
    }
    return {
      kind: 'multipart',
      partSize,
      parts,
      completedParts: await photos.listParts(db, photo.id),
      expiresAt,
    };
  }

  /** An upload of the caller's in this album, or 404. */
  async function ownUpload(auth: AuthContext, albumId: string, photoId: string) {
    const { album } = await visibleAlbum(db, auth, albumId);
    const photo = await photos.find(db, album.id, photoId);
    if (photo === undefined || photo.uploadedBy !== auth.userId) throw photoNotFound();
    return { album, photo };
  }

  type StartResult = { ok: true; value: UploadAnswer } | { ok: false; error: ApiError };

  /**
   * Starts (or resumes, or answers the duplicate of) uploads into a writable album, each with
   * its own answer. New photos are inserted in one transaction after one look-up of every
   * hash: a batch costs a few statements, not a few per photo.
   */
  async function startIn(
    auth: AuthContext,
    album: AlbumRecord,
    inputs: readonly UploadRequest[],
  ): Promise<StartResult[]> {
    const answerExisting = async (existing: PhotoRecord): Promise<UploadAnswer> =>
      existing.status === 'uploading' && existing.uploadedBy === auth.userId
        ? { photo: existing, duplicate: false, upload: await session(existing) }
        : { photo: existing, duplicate: true, upload: null };
    const hashes = inputs.map((input) => input.sha256.toLowerCase());
    const known = new Map(
      (await photos.byHashes(db, album.id, [...new Set(hashes)])).map((p) => [p.sha256, p]),
    );
    const results: (StartResult | undefined)[] = inputs.map((input) =>
      input.size > MAX_PHOTO_BYTES
        ? {
            ok: false,
            error: new ApiError(
              413,
              'photo_too_large',
              `photos may be at most ${MAX_PHOTO_BYTES} bytes`,
            ),
          }
        : undefined,
    );
    // The first claim of each unknown hash is new; the album's own photos and repeats of a
    // hash in this batch are answered from the rows afterwards.
    const fresh: { index: number; input: UploadRequest; id: string; uploadId: string | null }[] =
      [];
    const claimed = new Set<string>();
    for (const [index, input] of inputs.entries()) {
      const sha256 = hashes[index]!;
      if (results[index] !== undefined || known.has(sha256) || claimed.has(sha256)) continue;
      claimed.add(sha256);
      const id = randomUUID();
      const uploadId =
        input.size >= SINGLE_PUT_MAX_BYTES
          ? await blobs.createMultipart(
              photoKey(album.studioTenantId, album.id, id, 'original'),
              input.contentType,
            )
          : null;
      fresh.push({ index, input, id, uploadId });
    }
    const created = new Map(
      (fresh.length === 0
        ? []
        : await db.transaction(async (tx) => {
            const rows = await photos.insertManyUploading(
              tx,
              fresh.map(({ index, input, id, uploadId }) => ({
                id,
                albumId: album.id,
                uploadedBy: auth.userId,
                sha256: hashes[index]!,
                size: input.size,
                fileName: input.fileName,
                contentType: input.contentType,
                multipartUploadId: uploadId,
                partSize: uploadId === null ? null : PART_BYTES,
                now: now(),
              })),
            );
            await appendChanges(
              tx,
              album.id,
              'photo',
              'upsert',
              rows.map((p) => ({ entityId: p.id, version: p.version })),
            );
            return rows;
          })
      ).map((p) => [p.id, p]),
    );
    for (const { index, id, uploadId } of fresh) {
      const photo = created.get(id);
      if (photo !== undefined) {
        results[index] = {
          ok: true,
          value: { photo, duplicate: false, upload: await session(photo) },
        };
      } else if (uploadId !== null) {
        // Another upload of the same bytes won the race: that one is answered below.
        const key = photoKey(album.studioTenantId, album.id, id, 'original');
        await blobs.abortMultipart(key, uploadId).catch(() => undefined);
      }
    }
    const answered: StartResult[] = [];
    for (const [index, result] of results.entries()) {
      if (result !== undefined) {
        answered.push(result);
        continue;
      }
      const existing =
        known.get(hashes[index]!) ?? (await photos.findByHash(db, album.id, hashes[index]!));
      if (existing === undefined) throw new Error('photo vanished after a duplicate insert');
      answered.push({ ok: true, value: await answerExisting(existing) });
    }
    return answered;
  }

  return {
    /** Which of these hashes the album already has (so the client skips them). */
    async check(auth: AuthContext, albumId: string, hashes: readonly string[]) {
      const { album } = await visibleAlbum(db, auth, albumId);
      return photos.byHashes(db, album.id, [...new Set(hashes.map((h) => h.toLowerCase()))]);
    },

    /**
     * Starts an upload, or answers the existing photo when the album has these bytes already
     * (a duplicate is a success). The caller's own unfinished upload of the same bytes is
     * resumed: fresh URLs, and the parts already recorded.
     */
    async start(auth: AuthContext, albumId: string, input: UploadRequest): Promise<UploadAnswer> {
      uploadActivity();
      const found = await visibleAlbum(db, auth, albumId);
      requireWritable(found, now());
      const [result] = await startIn(auth, found.album, [input]);
      if (result === undefined) throw new Error('one upload asked, none answered');
      if (!result.ok) throw result.error;
      return result.value;
    },

    /**
     * `start` for several photos of one album in one request (the client asks ahead for the
     * uploads it sends next, so that no transfer waits for a round trip). Each answer is
     * the photo's own: one refused photo (too large) does not refuse the others.
     */
    async startMany(
      auth: AuthContext,
      albumId: string,
      inputs: readonly UploadRequest[],
    ): Promise<({ ok: true; value: UploadAnswer } | { ok: false; error: ApiError })[]> {
      uploadActivity();
      const found = await visibleAlbum(db, auth, albumId);
      requireWritable(found, now());
      return startIn(auth, found.album, inputs);
    },

    /** Records a finished part of the caller's multipart upload; returns every recorded part. */
    async recordPart(
      auth: AuthContext,
      albumId: string,
      photoId: string,
      part: UploadedPart,
    ): Promise<UploadedPart[]> {
      uploadActivity();
      const { photo } = await ownUpload(auth, albumId, photoId);
      if (photo.status !== 'uploading' || photo.multipartUploadId === null) {
        throw new ApiError(409, 'upload_not_open', 'This photo has no open multipart upload');
      }
      if (part.partNumber > partCount(photo)) {
        throw new ApiError(
          422,
          'part_number_invalid',
          `this upload has ${partCount(photo)} parts`,
          ['partNumber'],
        );
      }
      await photos.recordPart(db, photo.id, part, now());
      return photos.listParts(db, photo.id);
    },

    /**
     * Completes the caller's upload: the photo is `processing`, and the photo processor
     * (photoProcessor.ts) reads the object once in the background, checks its size and SHA-256
     * against the claim and makes the derivatives, or fails the photo with the reason
     * (`upload_missing`, `size_mismatch`, `hash_mismatch`, ...); its status and the change feed
     * tell which. No HEAD here: the processor reads every byte anyway, and on a single-threaded
     * store (s3rver) a HEAD per photo slowed every transfer in flight (decision 19).
     * Completing again answers the photo as it is.
     */
    async complete(auth: AuthContext, albumId: string, photoId: string): Promise<PhotoRecord> {
      uploadActivity();
      const { photo } = await ownUpload(auth, albumId, photoId);
      if (photo.status !== 'uploading') return photo;
      const key = originalKey(photo);
      if (photo.multipartUploadId !== null) {
        const parts = await photos.listParts(db, photo.id);
        const missing = [];
        for (let n = 1; n <= partCount(photo); n++) {
          if (!parts.some((p) => p.partNumber === n)) missing.push(n);
        }
        if (missing.length > 0) {
          throw new ApiError(
            409,
            'upload_incomplete',
            `parts not recorded yet: ${missing.join(', ')}`,
          );
        }
        try {
          await blobs.completeMultipart(key, photo.multipartUploadId, parts);
        } catch {
          // Completed before (the answer was lost) or a part differs from its record.
          if ((await blobs.head(key))?.size !== photo.size) {
            throw new ApiError(
              409,
              'upload_incomplete',
              'a recorded part is missing or differs; upload it again and record it',
            );
          }
        }
      }
      const processing = await db.transaction(async (tx) => {
        const marked = await photos.markProcessing(tx, photo.id, now());
        if (marked !== undefined) await photoChanged(tx, marked);
        return marked;
      });
      deps.onProcessing();
      // Not marked here: another request completed it meanwhile; answer it as it is now.
      const after = processing ?? (await photos.find(db, photo.albumId, photo.id));
      if (after === undefined) throw photoNotFound();
      return after;
    },

    async list(auth: AuthContext, albumId: string): Promise<PhotoRecord[]> {
      const { album } = await visibleAlbum(db, auth, albumId);
      return photos.list(db, album.id);
    },

    async get(auth: AuthContext, albumId: string, photoId: string): Promise<PhotoRecord> {
      const { album } = await visibleAlbum(db, auth, albumId);
      const photo = await photos.find(db, album.id, photoId);
      if (photo === undefined) throw photoNotFound();
      return photo;
    },

    /**
     * The bytes of a ready photo's variant, streamed by the API itself after the permission
     * check: Weebum Studio fetches thumbnails and originals of photos another computer uploaded
     * over its one authenticated HTTPS client, with no second origin (S3) to trust.
     */
    async openContent(
      auth: AuthContext,
      albumId: string,
      photoId: string,
      variant: PhotoVariant,
    ): Promise<{ stream: Readable; contentType: string; size: number }> {
      const { album } = await visibleAlbum(db, auth, albumId);
      const photo = await photos.find(db, album.id, photoId);
      if (photo === undefined) throw photoNotFound();
      if (photo.status !== 'ready') {
        throw new ApiError(409, 'photo_not_ready', `the photo is ${photo.status}, not ready`);
      }
      const key = photoKey(photo.keyTenantId, photo.albumId, photo.id, variant);
      const head = await blobs.head(key);
      // A ready row whose object is gone (retention running right now): as if deleted.
      if (head === null) throw photoNotFound();
      return {
        stream: await blobs.read(key),
        // Derivatives are JPEGs (processPhoto.ts); the original keeps its uploaded type.
        contentType: variant === 'original' ? photo.contentType : 'image/jpeg',
        size: head.size,
      };
    },

    /** A 5-minute download URL, after the permission check; only `ready` photos. */
    async downloadUrl(
      auth: AuthContext,
      albumId: string,
      photoId: string,
      variant: PhotoVariant,
    ): Promise<{ url: string; expiresAt: string }> {
      const { album } = await visibleAlbum(db, auth, albumId);
      const photo = await photos.find(db, album.id, photoId);
      if (photo === undefined) throw photoNotFound();
      if (photo.status !== 'ready') {
        throw new ApiError(409, 'photo_not_ready', `the photo is ${photo.status}, not ready`);
      }
      return {
        url: await blobs.presignGet(photoKey(photo.keyTenantId, photo.albumId, photo.id, variant), {
          expiresInSeconds: DOWNLOAD_URL_SECONDS,
        }),
        expiresAt: new Date(now().getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString(),
      };
    },
  };
}
export type PhotoService = ReturnType<typeof createPhotoService>;
