import { PassThrough, type Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { recordAudit } from '../audit/auditLog.js';
import { photoKey } from '../blobs/blobKeys.js';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Db } from '../db/db.js';
import type { AuthContext } from '../http/authContext.js';
import { listPages } from '../pages/pageRepository.js';
import { photoRepository, type PhotoRecord } from '../photos/photoRepository.js';
import type { AlbumView } from '../../src-shared/cloud/albums.js';
import type { PhotoView } from '../../src-shared/cloud/photos.js';
import { toPhotoView } from '../photos/photoView.js';
import { visibleAlbum } from './albumGate.js';
import { toAlbumView } from './albumView.js';

/**
 * The album archive (P1): everything a school or studio needs to take its album elsewhere, as a
 * zip streamed straight from the database and the blob store (one photo open at a time, so
 * memory stays bounded whatever the album's size). Format: docs/export-format.md.
 */
export const EXPORT_FORMAT = 'weebum-album-export';
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportManifest {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_FORMAT_VERSION;
  readonly exportedAt: string;
  readonly album: AlbumView & { readonly path: string };
  readonly pages: readonly {
    readonly id: string;
    readonly version: number;
    readonly path: string;
  }[];
  readonly photos: readonly (PhotoView & {
    /** The original's entry, or null when the server holds no verified original. */
    readonly originalPath: string | null;
    readonly metadataPath: string;
  })[];
  /** Weebum has no roster (名簿) model yet; always null in version 1. */
  readonly roster: null;
}

/**
 * Photos whose original passed the processor's size and hash checks. A `processing` photo's
 * object has not been read yet and may not exist (completion does not look), so it is listed
 * without its original, as a failed one is.
 */
const hasOriginal = (p: PhotoRecord): boolean => p.status === 'ready';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2) + '\n');

/** Reads the blob only when the zip reaches this entry. */
const lazyBlob =
  (blobs: BlobStore, photo: PhotoRecord) =>
  (callback: (error: unknown, stream: NodeJS.ReadableStream) => void): void => {
    blobs.read(photoKey(photo.keyTenantId, photo.albumId, photo.id, 'original')).then(
      (stream) => callback(null, stream),
      (error: unknown) => callback(error, new PassThrough()),
    );
  };

export function createAlbumExporter(deps: { db: Db; blobs: BlobStore; now: () => Date }) {
  return {
    /**
     * Checks the caller may see the album (else 404 like a missing one), records the export in
     * the audit log, and returns the zip as a stream. A failure mid-way (a missing object)
     * breaks the stream, so the client never takes a truncated archive for a whole one.
     */
    async exportAlbum(
      actor: { auth: AuthContext; sourceAddress: string },
      albumId: string,
    ): Promise<{ fileName: string; stream: Readable }> {
      const { album } = await visibleAlbum(deps.db, actor.auth, albumId);
      const pages = await listPages(deps.db, albumId);
      const photos = await photoRepository.list(deps.db, albumId);
      const exportedAt = deps.now();

      const manifest: ExportManifest = {
        format: EXPORT_FORMAT,
        version: EXPORT_FORMAT_VERSION,
        exportedAt: exportedAt.toISOString(),
        album: { ...toAlbumView(album), path: 'album.json' },
        pages: pages.map((p) => ({
          id: p.document.id,
          version: p.version,
          path: `pages/${p.document.id}.json`,
        })),
        photos: photos.map((p) => ({
          ...toPhotoView(p),
          originalPath: hasOriginal(p) ? `photos/${p.id}/original` : null,
          metadataPath: `photos/${p.id}/metadata.json`,
        })),
        roster: null,
      };

      await recordAudit(deps.db, {
        tenantId: actor.auth.tenantId,
        actorId: actor.auth.userId,
        action: 'album.export',
        outcome: 'success',
        targetType: 'album',
        targetId: albumId,
        sourceAddress: actor.sourceAddress,
        details: { pages: pages.length, photos: photos.length },
        occurredAt: exportedAt,
      });

      const zip = new ZipFile();
      const out = new PassThrough();
      zip.on('error', (error: Error) => out.destroy(error));
      zip.outputStream.on('error', (error: Error) => out.destroy(error));
      zip.outputStream.pipe(out);
      const entry = { mtime: exportedAt };
      zip.addBuffer(json(manifest), 'manifest.json', entry);
      zip.addBuffer(json(manifest.album), 'album.json', entry);
      for (const page of pages) {
        zip.addBuffer(json(page.document), `pages/${page.document.id}.json`, entry);
      }
      for (const [i, photo] of photos.entries()) {
        zip.addBuffer(json(manifest.photos[i]), `photos/${photo.id}/metadata.json`, entry);
        if (!hasOriginal(photo)) continue;
        // Photos are already compressed; storing them saves CPU and gains nothing.
        zip.addReadStreamLazy(
          `photos/${photo.id}/original`,
          { ...entry, compress: false, size: photo.size },
          lazyBlob(deps.blobs, photo),
        );
      }
      zip.end();
      return { fileName: `weebum-album-${albumId}.zip`, stream: out };
    },
  };
}
export type AlbumExporter = ReturnType<typeof createAlbumExporter>;
