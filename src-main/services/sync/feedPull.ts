import { z } from 'zod';
import { changeApi, type ChangeView } from '../../../src-shared/cloud/changes.js';
import { photoApi, type PhotoView } from '../../../src-shared/cloud/photos.js';
import { parseAlbum } from '../../../src-shared/model/parse.js';
import { CloudError } from '../cloud/cloudError.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { LocalStore } from '../store/localStore.js';
import type { DroppedFiles } from '../store/albumRepository.js';
import { mergeInto, type PushReport } from './pagePush.js';
import { pageFromView } from './remotePage.js';

const FEED_BATCH = 200;

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
  cloud: Pick<CloudSession, 'call'>,
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
    let body;
    try {
      body = await cloud.call(changeApi.list, {
        params: { albumId },
        query: { after: String(after), limit: FEED_BATCH },
      });
    } catch (error) {
      // The caller can no longer see the album (removed from it, album deleted).
      if (error instanceof CloudError && error.status === 404) {
        report.accessLost = true;
        break;
      }
      throw error;
    }
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

  function apply(change: ChangeView): void {
    switch (change.entity) {
      case 'page':
        if (change.op === 'delete') {
          store.pages.applyRemoteDeletion(albumId, change.entityId);
        } else if (change.page) {
          mergeInto(store, pageFromView(change.page, changeApi.list), report.conflicts);
        }
        report.changedPages.push(change.entityId);
        return;
      case 'photo': {
        // Retention (P11) or a deletion on the server: our cached copies go too.
        if (change.op === 'delete') {
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
function applyServerPhoto(store: LocalStore, albumId: string, photo: PhotoView): boolean {
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
  cloud: Pick<CloudSession, 'call'>,
  albumId: string,
): Promise<boolean> {
  const waiting = store.settings.get(PHOTO_BACKFILL_SETTING, AlbumIds) ?? [];
  if (!waiting.includes(albumId)) return false;
  const body = await cloud.call(photoApi.list, { params: { albumId } });
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
