import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { photoApi, type PhotoVariant } from '../../../src-shared/cloud/photos.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { PhotoRecord, PhotoRepository } from '../store/photoRepository.js';

/** Originals of remote photos kept for PDF export; the least recently used go first. */
export const DEFAULT_ORIGINALS_CACHE_BYTES = 2 * 1024 ** 3;
/** Thumbnails fetched at once after a sync (each a few tens of kB). */
const THUMBNAIL_CONCURRENCY = 4;

export interface RemotePhotoFilesDeps {
  readonly photos: PhotoRepository;
  /** The signed-in session, or null when signed out (nothing can be fetched then). */
  readonly cloud: () => Pick<CloudSession, 'download'> | null;
  /** Shared with imported photos: thumbnails are named `<sha256>.jpg` there. */
  readonly thumbnailsDir: string;
  /** Cached originals, named by their SHA-256 (verified after download). */
  readonly originalsDir: string;
  readonly maxOriginalBytes?: number;
}

/**
 * Files of photos another computer uploaded (decision 17): the 320 px thumbnail and, for the
 * PDF export, the original, downloaded from Weebum Cloud over the signed-in HTTPS session and
 * kept in the data directory. Thumbnails are kept while a photo uses them (like imported
 * ones); originals are a cache bounded in bytes. One download per file at a time.
 */
export function createRemotePhotoFiles(deps: RemotePhotoFilesDeps) {
  const maxBytes = deps.maxOriginalBytes ?? DEFAULT_ORIGINALS_CACHE_BYTES;
  const inFlight = new Map<string, Promise<string>>();

  const once = (key: string, work: () => Promise<string>): Promise<string> => {
    let running = inFlight.get(key);
    if (!running) {
      running = work().finally(() => inFlight.delete(key));
      inFlight.set(key, running);
    }
    return running;
  };

  async function download(photo: PhotoRecord, variant: PhotoVariant, destination: string) {
    const cloud = deps.cloud();
    if (!cloud || photo.serverPhotoId === null) {
      throw new RemotePhotoError('offline', 'signed out: the photo cannot be fetched');
    }
    await mkdir(join(destination, '..'), { recursive: true, mode: 0o700 });
    // Written under a temporary name and renamed: nobody ever reads half a file.
    const partial = join(destination, '..', `.partial-${randomUUID()}`);
    try {
      await cloud.download(photoApi.content, partial, {
        params: { albumId: photo.albumId, photoId: photo.serverPhotoId },
        query: { variant },
      });
      if (variant === 'original' && (await sha256Of(partial)) !== photo.sha256) {
        throw new RemotePhotoError('hash_mismatch', 'the downloaded original is not the photo');
      }
      await rename(partial, destination);
    } finally {
      await rm(partial, { force: true });
    }
  }

  const exists = (file: string) =>
    stat(file).then(
      () => true,
      () => false,
    );

  async function thumbnail(photo: PhotoRecord): Promise<string> {
    if (photo.thumbnailPath !== null) return photo.thumbnailPath;
    const sha = requireSha(photo);
    const file = join(deps.thumbnailsDir, `${sha}.jpg`);
    await once(`thumbnail:${sha}`, async () => {
      // The same bytes imported here (another album) already have their thumbnail.
      if (!(await exists(file))) await download(photo, 'thumbnail', file);
      return file;
    });
    deps.photos.setThumbnail(photo.id, file);
    return file;
  }

  async function original(photo: PhotoRecord): Promise<string> {
    const sha = requireSha(photo);
    const file = join(deps.originalsDir, sha);
    return once(`original:${sha}`, async () => {
      if (await exists(file)) {
        const at = new Date();
        await utimes(file, at, at); // recently used: evicted last
        return file;
      }
      await download(photo, 'original', file);
      await evict(file);
      return file;
    });
  }

  /** Drops the least recently used originals above the bound, never the one just fetched. */
  async function evict(keep: string): Promise<void> {
    const names = await readdir(deps.originalsDir).catch(() => [] as string[]);
    const files = await Promise.all(
      names
        .filter((n) => !n.startsWith('.'))
        .map(async (n) => {
          const path = join(deps.originalsDir, n);
          const s = await stat(path).catch(() => null);
          return s ? { name: n, path, size: s.size, used: s.mtimeMs } : null;
        }),
    );
    const present = files.filter((f) => f !== null);
    let total = present.reduce((sum, f) => sum + f.size, 0);
    for (const f of present.sort((a, b) => a.used - b.used)) {
      if (total <= maxBytes) break;
      // An export may be reading one being fetched right now: only settled files go.
      if (f.path === keep || inFlight.has(`original:${f.name}`)) continue;
      await rm(f.path, { force: true });
      total -= f.size;
    }
  }

  return {
    thumbnail,
    original,
    /**
     * Fetches the thumbnails an album's remote photos lack, so they show offline later too.
     * Returns how many arrived; a failure leaves the photo for the next sync.
     */
    async prefetchThumbnails(albumId: string): Promise<number> {
      const waiting = deps.photos.remoteWithoutThumbnail(albumId);
      let fetched = 0;
      const worker = async () => {
        for (let next = waiting.shift(); next; next = waiting.shift()) {
          await thumbnail(next).then(
            () => fetched++,
            () => undefined,
          );
        }
      };
      await Promise.all(Array.from({ length: THUMBNAIL_CONCURRENCY }, worker));
      return fetched;
    },
    /** A cached original whose bytes no photo has any more (retention, album dropped). */
    async forget(sha256: string): Promise<void> {
      if (!/^[0-9a-f]{64}$/.test(sha256) || deps.photos.contentInUse(sha256)) return;
      await rm(join(deps.originalsDir, sha256), { force: true });
    },
  };
}
export type RemotePhotoFiles = ReturnType<typeof createRemotePhotoFiles>;

export class RemotePhotoError extends Error {
  override readonly name = 'RemotePhotoError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function requireSha(photo: PhotoRecord): string {
  if (photo.sha256 === null) throw new RemotePhotoError('no_content_id', 'the photo has no hash');
  return photo.sha256;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
