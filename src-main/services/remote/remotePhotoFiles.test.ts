import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestPath } from '../cloud/cloudCall.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { LocalStore } from '../store/localStore.js';
import { ALBUM_ID, mustOpen, seedAlbum } from '../store/testing/tempStore.js';
import { createRemotePhotoFiles } from './remotePhotoFiles.js';

/**
 * The originals cache over a real store and real files; the cloud is a stand-in that serves
 * bytes by server photo id (the HTTPS path is covered by core/remotePhotos.test.ts).
 */
let dir: string;
let store: LocalStore;
const served = new Map<string, Buffer>();
const downloads: string[] = [];

const cloud: Pick<CloudSession, 'download'> = {
  download: async (spec, destination, ...[input]) => {
    const path = requestPath(spec, input ?? {});
    downloads.push(path);
    const id = /photos\/([^/]+)\/content/.exec(path)![1]!;
    await writeFile(destination, served.get(id)!, { flag: 'wx' });
  },
};

function remotePhoto(n: number, bytes: Buffer) {
  served.set(`srv-${n}`, bytes);
  return store.photos.insertRemote({
    albumId: ALBUM_ID,
    serverPhotoId: `srv-${n}`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    fileName: `${n}.jpg`,
    byteSize: bytes.length,
    width: 10,
    height: 10,
    exifDate: null,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weebum-remote-files-'));
  store = mustOpen(join(dir, 'studio.db')).store;
  seedAlbum(store);
  served.clear();
  downloads.length = 0;
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

const files = (maxOriginalBytes: number) =>
  createRemotePhotoFiles({
    photos: store.photos,
    cloud: () => cloud,
    thumbnailsDir: join(dir, 'thumbnails'),
    originalsDir: join(dir, 'originals'),
    maxOriginalBytes,
  });

describe('originals of remote photos', () => {
  it('are fetched once, kept within the bound, least recently used first', async () => {
    const remote = files(2500);
    const [one, two, three] = [1, 2, 3].map((n) => remotePhoto(n, Buffer.alloc(1000, n)));
    const first = await remote.original(one!);
    await Promise.all([remote.original(two!), remote.original(two!)]);
    expect(downloads).toHaveLength(2); // the second ask for two shared the first download
    // One was fetched long ago but is used again now: two becomes the least recently used.
    await utimes(first, new Date(1000), new Date(1000));
    expect(await remote.original(one!)).toBe(first);
    expect(downloads).toHaveLength(2);
    await remote.original(three!);
    expect((await readdir(join(dir, 'originals'))).sort()).toEqual(
      [one!.sha256, three!.sha256].sort(),
    );
  });

  it('refuses bytes that are not the photo, and keeps nothing of them', async () => {
    const remote = files(10_000);
    const photo = remotePhoto(4, Buffer.from('the real photo'));
    served.set('srv-4', Buffer.from('something else'));
    await expect(remote.original(photo)).rejects.toMatchObject({ code: 'hash_mismatch' });
    expect(await readdir(join(dir, 'originals'))).toEqual([]);
  });

  it('are forgotten once no photo has those bytes', async () => {
    const remote = files(10_000);
    const photo = remotePhoto(5, Buffer.from('retained for now'));
    await remote.original(photo);
    await remote.forget(photo.sha256!);
    expect(await readdir(join(dir, 'originals'))).toHaveLength(1); // the row still uses it
    store.photos.removeByServerId(ALBUM_ID, 'srv-5');
    await remote.forget(photo.sha256!);
    expect(await readdir(join(dir, 'originals'))).toEqual([]);
  });
});
