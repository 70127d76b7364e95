import { z } from 'zod';
import type { Page } from '../../../src-shared/model/page.js';
import { parseAlbum } from '../../../src-shared/model/parse.js';
import { CloudError } from '../cloud/cloudError.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { LocalStore } from '../store/localStore.js';
import type { DroppedFiles } from '../store/albumRepository.js';
import { mergeInto, type PushReport } from './pagePush.js';

const FEED_BATCH = 200;

/** A photo as the feed shows it (the server's PhotoView; what we use of it). */
interface FeedPhoto {
  id: string;
  status: string;
  sha256: string;
  size: number;
  fileName: string;
  width: number | null;
  height: number | null;
  takenAtLocal: string | null;
}

interface FeedChange {
  seq: string;
  entity: 'album' | 'page' | 'photo' | 'membership';
  entityId: string;
  op: 'upsert' | 'delete';
  page?: { document: Page; version: number } | null;
  photo?: FeedPhoto | null;
  album?: { settings: unknown; version: number } | null;
  userId?: string;
}

export interface PullReport {
  readonly changedPages: string[];
  /** Photos recorded, changed or dropped: the library and the editor read them again. */
  photosChanged: boolean;
  readonly conflicts: PushReport['conflicts'];
  /** The caller may no longer see the album: it was dropped locally. */
  accessLost: boolean;
  /** Cached files of dropped rows (thumbnails), to delete after the commit. */
  readonly dropped: DroppedFiles[];
}

/**
 * Follows an album's change feed from the stored cursor. Each batch is applied together with
 * the new cursor in one transaction, so a crash repeats a batch rather than skipping it.
 */
export async function pullAlbum(
  store: LocalStore,
  cloud: CloudSession,
  input: { albumId: string; accountId: number; userId: string },
): Promise<PullReport> {
  const { albumId } = input;
  const report: PullReport = {
    changedPages: [],
    photosChanged: false,
    conflicts: [],
    accessLost: false,
    dropped: [],
  };
  for (;;) {
    const after = store.cursors.get(albumId);
    const res = await cloud.raw(
      'GET',
      `/v1/albums/${albumId}/changes?after=${after}&limit=${FEED_BATCH}`,
    );
    if (res.status === 404) {
      report.accessLost = true;
      break;
    }
    if (res.status !== 200) {
      throw new CloudError('sync_failed', `The change feed answered ${res.status}`, res.status);
    }
    const body = res.json as { changes: FeedChange[]; nextAfter: string; hasMore: boolean };
    store.transaction(() => {
      for (const change of body.changes) apply(change);
      store.cursors.set(albumId, Number(body.nextAfter));
    });
    if (report.accessLost || !body.hasMore) break;
  }
  if (report.accessLost) {
    store.albums.markAccessLost(albumId);
    report.dropped.push(store.albums.remove(albumId));
  }
  return report;

  function apply(change: FeedChange): void {
    switch (change.entity) {
      case 'page':
        if (change.op === 'delete') {
          store.pages.applyRemoteDeletion(albumId, change.entityId);
        } else if (change.page) {
          mergeInto(
            store,
            { ...change.page.document, version: change.page.version },
            report.conflicts,
          );
        }
        report.changedPages.push(change.entityId);
        return;
      case 'photo': {
        // Retention (P11) or a deletion on the server: our cached copies go too.
        if (change.op === 'delete' || change.photo?.status === 'expired') {
          const dropped = store.photos.removeByServerId(albumId, change.entityId);
          if (dropped.contentIds.length > 0) report.photosChanged = true;
          report.dropped.push(dropped);
          return;
        }
        if (change.photo && applyServerPhoto(store, albumId, change.photo)) {
          report.photosChanged = true;
        }
        return;
      }
      case 'album': {
        const parsed = change.album ? parseAlbum(change.album.settings) : null;
        if (parsed?.ok && change.album) {
          store.albums.upsertRemote(input.accountId, parsed.value, change.album.version);
        }
        return;
      }
      case 'membership':
        if (change.op === 'delete' && change.userId === input.userId) report.accessLost = true;
        return;
    }
  }
}

/**
 * A ready photo of the album as the server shows it: ours gets its state, one another
 * computer uploaded is recorded as a remote photo (decision 17). Returns whether anything changed.
 */
function applyServerPhoto(store: LocalStore, albumId: string, photo: FeedPhoto): boolean {
  if (photo.status !== 'ready') return false; // another computer's upload in progress
  const local = store.photos.findByServerId(albumId, photo.id);
  if (local) {
    if (local.state === 'ready') return false;
    store.photos.setState(local.id, 'ready');
    return true;
  }
  // Our own import of the same bytes: the upload queue links it to this photo.
  if (store.photos.findBySha256(albumId, photo.sha256)) return false;
  store.photos.insertRemote({
    albumId,
    serverPhotoId: photo.id,
    sha256: photo.sha256,
    fileName: photo.fileName,
    byteSize: photo.size,
    width: photo.width ?? 0,
    height: photo.height ?? 0,
    exifDate: photo.takenAtLocal,
  });
  return true;
}

/** Albums whose photos the change feed went past before remote photos were kept (step 3). */
export const PHOTO_BACKFILL_SETTING = 'sync.photoBackfill';
const AlbumIds = z.array(z.string());

/**
 * Once per album listed by store step 3: reads the album's photos and records the ones other
 * computers uploaded, which the feed had already gone past. (Replaying the whole feed instead
 * would also replay old membership removals.) Returns whether photos were recorded.
 */
export async function backfillPhotos(
  store: LocalStore,
  cloud: CloudSession,
  albumId: string,
): Promise<boolean> {
  const waiting = store.settings.get(PHOTO_BACKFILL_SETTING, AlbumIds) ?? [];
  if (!waiting.includes(albumId)) return false;
  const { body } = await cloud.call<{ photos: FeedPhoto[] }>('GET', `/v1/albums/${albumId}/photos`);
  return store.transaction(() => {
    let changed = false;
    for (const photo of body.photos) changed = applyServerPhoto(store, albumId, photo) || changed;
    const left = (store.settings.get(PHOTO_BACKFILL_SETTING, AlbumIds) ?? []).filter(
      (id) => id !== albumId,
    );
    if (left.length > 0) store.settings.set(PHOTO_BACKFILL_SETTING, left);
    else store.settings.delete(PHOTO_BACKFILL_SETTING);
    return changed;
  });
}
