import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportedPhotoInput } from './photoRepository.js';
import type { LocalStore } from './localStore.js';
import { ALBUM_ID, mustOpen, seedAlbum, tempDir } from './testing/tempStore.js';

let store: LocalStore;
let clock = 1_800_000_000_000;
beforeEach(() => {
  store = mustOpen(path.join(tempDir(), 'studio.db'), { now: () => new Date(clock) }).store;
  seedAlbum(store);
});
afterEach(() => store.close());

const photo = (n: number): ImportedPhotoInput => ({
  albumId: ALBUM_ID,
  sha256: n.toString(16).padStart(64, '0'),
  filePath: `/library/${n}.jpg`,
  byteSize: 1000 + n,
  width: 4000,
  height: 3000,
  orientation: 1,
  exifDate: '2026:10:10 09:00:00',
  thumbnailPath: `/thumbs/${n}.webp`,
});

describe('imported photos', () => {
  it('records the photo and queues its upload together; a duplicate is not added', () => {
    const first = store.photos.insertImported(photo(1));
    expect(first.inserted).toBe(true);
    if (!first.inserted) return;
    expect(first.photo).toMatchObject({ state: 'queued', width: 4000, serverPhotoId: null });
    expect(store.uploadQueue.get(first.photo.id)).toMatchObject({ step: 'check', attempts: 0 });
    const again = store.photos.insertImported({ ...photo(1), filePath: '/elsewhere/copy.jpg' });
    expect(again).toEqual({ inserted: false, existing: first.photo });
    expect(store.uploadQueue.count()).toBe(1);
  });

  it('remembers the import batch a photo came in with (none when not given)', () => {
    const inBatch = store.photos.insertImported({ ...photo(1), importBatchId: 'batch-1' });
    const without = store.photos.insertImported(photo(2));
    expect(inBatch.inserted && inBatch.photo.importBatchId).toBe('batch-1');
    expect(without.inserted && without.photo.importBatchId).toBeNull();
    // Both have the same import time here: the list's order between them is the random id's.
    const listed = store.photos.list(ALBUM_ID).map((p) => [p.filePath, p.importBatchId] as const);
    expect(new Map(listed)).toEqual(
      new Map([
        [photo(1).filePath, 'batch-1'],
        [photo(2).filePath, null],
      ]),
    );
  });

  it('keeps failed files with their reason, without blocking a later good import', () => {
    const failed = store.photos.insertFailed({
      albumId: ALBUM_ID,
      filePath: '/library/broken.jpg',
      reason: 'truncated JPEG',
      sha256: photo(7).sha256,
    });
    expect(failed).toMatchObject({ state: 'failed', failureReason: 'truncated JPEG' });
    expect(store.photos.insertImported(photo(7)).inserted).toBe(true);
    expect(store.photos.countByState(ALBUM_ID)).toEqual({ failed: 1, queued: 1 });
  });

  it('refuses a malformed hash', () => {
    expect(() => store.photos.insertImported({ ...photo(1), sha256: 'XYZ' })).toThrow(/CHECK/);
    expect(store.uploadQueue.count()).toBe(0);
  });
});

describe('the upload queue', () => {
  const queued = (n: number) => {
    const result = store.photos.insertImported(photo(n));
    if (!result.inserted) throw new Error('duplicate');
    return result.photo.id;
  };

  it('hands out due items oldest first, skipping those in flight and those waiting', () => {
    const a = queued(1);
    clock += 1;
    const b = queued(2);
    clock += 1;
    const c = queued(3);
    store.uploadQueue.retryLater(c, { error: 'ECONNRESET', retryAt: clock + 10_000 });
    expect(store.uploadQueue.next({ limit: 4 }).map((i) => i.photoId)).toEqual([a, b]);
    expect(
      store.uploadQueue.next({ limit: 4, excluding: new Set([a]) }).map((i) => i.photoId),
    ).toEqual([b]);
    expect(store.uploadQueue.get(c)).toMatchObject({ attempts: 1, lastError: 'ECONNRESET' });
    expect(store.uploadQueue.nextDueAt()).toBe(clock - 2);
    clock += 10_000;
    expect(store.uploadQueue.next({ limit: 1 }).map((i) => i.photoId)).toEqual([a]);
  });

  it('records steps and parts, then completes: the photo is uploaded and leaves the queue', () => {
    const id = queued(1);
    store.uploadQueue.retryLater(id, { error: 'timeout', retryAt: clock });
    store.uploadQueue.advance(id, { step: 'parts', uploadId: 'up-1', partsDone: [] });
    store.uploadQueue.advance(id, { step: 'parts', partsDone: [{ partNumber: 1, etag: '"e1"' }] });
    expect(store.uploadQueue.get(id)).toMatchObject({
      step: 'parts',
      uploadId: 'up-1',
      partsDone: [{ partNumber: 1, etag: '"e1"' }],
      attempts: 0,
      lastError: null,
    });
    expect(store.photos.get(id)?.state).toBe('uploading');
    expect(store.uploadQueue.complete(id, 'srv-photo-1')).toBe(true);
    expect(store.uploadQueue.get(id)).toBeNull();
    expect(store.photos.get(id)).toMatchObject({ state: 'uploaded', serverPhotoId: 'srv-photo-1' });
  });

  it('a permanent failure leaves the queue with its reason; requeue starts over', () => {
    const id = queued(1);
    store.uploadQueue.fail(id, 'photo_too_large');
    expect(store.photos.get(id)).toMatchObject({
      state: 'failed',
      failureReason: 'photo_too_large',
    });
    expect(store.uploadQueue.requeue(id)).toBe(true);
    expect(store.uploadQueue.get(id)).toMatchObject({ step: 'check', attempts: 0 });
    expect(store.photos.get(id)?.state).toBe('queued');
  });
});

describe('dropping photos and albums', () => {
  it('retention removes the rows and returns the files to delete', () => {
    const result = store.photos.insertImported(photo(1));
    if (!result.inserted) throw new Error('duplicate');
    store.uploadQueue.complete(result.photo.id, 'srv-1');
    expect(store.photos.removeByServerId(ALBUM_ID, 'srv-1')).toEqual({
      photoFiles: ['/library/1.jpg'],
      thumbnails: ['/thumbs/1.webp'],
      contentIds: [photo(1).sha256],
    });
    expect(store.photos.list(ALBUM_ID)).toEqual([]);
  });

  it('knows when a shared thumbnail is still used by another album', () => {
    const other = '4a1e8d3b-6c2f-4d9b-8e4a-3b7c9d5f2a11';
    seedAlbum(store, other);
    store.photos.insertImported(photo(1));
    store.photos.insertImported({ ...photo(1), albumId: other });
    store.albums.remove(ALBUM_ID);
    expect(store.photos.thumbnailInUse('/thumbs/1.webp')).toBe(true);
    store.albums.remove(other);
    expect(store.photos.thumbnailInUse('/thumbs/1.webp')).toBe(false);
  });

  it('an album drop cascades to pages, outbox, photos, queue and cursor in one go', () => {
    store.photos.insertImported(photo(1));
    store.photos.insertImported(photo(2));
    store.cursors.set(ALBUM_ID, 42);
    const dropped = store.albums.remove(ALBUM_ID);
    expect(dropped.photoFiles.sort()).toEqual(['/library/1.jpg', '/library/2.jpg']);
    expect(store.uploadQueue.count()).toBe(0);
    expect(store.cursors.get(ALBUM_ID)).toBe(0);
    expect(store.albums.get(ALBUM_ID)).toEqual({ ok: true, value: null });
  });
});

describe('photos another computer uploaded', () => {
  const remote = (n: number) => ({
    albumId: ALBUM_ID,
    serverPhotoId: `srv-${n}`,
    sha256: photo(n).sha256,
    fileName: `DSC_${n}.JPG`,
    byteSize: 5000,
    width: 1200,
    height: 800,
    exifDate: '2026-10-10T09:00:00',
  });

  it('are kept as ready remote rows, found by content id, and not queued for upload', () => {
    const row = store.photos.insertRemote(remote(3));
    expect(row).toMatchObject({
      origin: 'remote',
      state: 'ready',
      fileName: 'DSC_3.JPG',
      filePath: '',
      serverPhotoId: 'srv-3',
      width: 1200,
      thumbnailPath: null,
    });
    expect(store.uploadQueue.count()).toBe(0);
    expect(store.photos.findByContentId(ALBUM_ID, photo(3).sha256)?.id).toBe(row.id);
    expect(store.photos.findByContentId('another-album', photo(3).sha256)).toBeNull();
    expect(store.photos.remoteWithoutThumbnail(ALBUM_ID).map((p) => p.id)).toEqual([row.id]);
    store.photos.setThumbnail(row.id, '/thumbs/3.jpg');
    expect(store.photos.remoteWithoutThumbnail(ALBUM_ID)).toEqual([]);
    // Importing the same bytes here makes it local: printed from this file, not queued.
    const adopted = store.photos.insertImported({ ...photo(3), importBatchId: 'batch-9' });
    expect(adopted).toMatchObject({
      inserted: true,
      photo: {
        id: row.id,
        origin: 'local',
        filePath: '/library/3.jpg',
        fileName: '3.jpg',
        serverPhotoId: 'srv-3',
        state: 'ready',
        thumbnailPath: '/thumbs/3.jpg',
        importBatchId: 'batch-9',
      },
    });
    expect(store.uploadQueue.count()).toBe(0);
    expect(store.photos.insertImported(photo(3)).inserted).toBe(false);
  });

  it('retention drops them with their cached files, which go when no photo has those bytes', () => {
    store.photos.insertRemote(remote(4));
    const dropped = store.photos.removeByServerId(ALBUM_ID, 'srv-4');
    expect(dropped).toEqual({ photoFiles: [], thumbnails: [], contentIds: [photo(4).sha256] });
    expect(store.photos.contentInUse(photo(4).sha256)).toBe(false);
    store.photos.insertImported(photo(5));
    expect(store.photos.contentInUse(photo(5).sha256)).toBe(true);
  });
});
