import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleAlbum } from '../../../../src-shared/model/fixtures.js';
import type { LocalStore } from '../localStore.js';
import { openLocalStore, type OpenedStore, type OpenLocalStoreOptions } from '../openLocalStore.js';

/** Test helper: a fresh folder for database files. */
export function tempDir(prefix = 'weebum-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Test helper: opens a store or throws with the error message. */
export function mustOpen(file: string, options: Partial<OpenLocalStoreOptions> = {}): OpenedStore {
  const opened = openLocalStore({ file, now: () => new Date(), ...options });
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
  return opened.value;
}

export const ALBUM_ID = sampleAlbum().id;

/** Test helper: an account and one album, the parents every page and photo needs. */
export function seedAlbum(store: LocalStore, albumId = ALBUM_ID): number {
  const account = store.accounts.upsert({
    serverUrl: 'https://cloud.example.test',
    userId: 'user-1',
    loginId: 'designer@example.test',
    tenantId: 'tenant-1',
    role: 'designer',
    displayName: '山田 花子',
  });
  store.albums.upsertRemote(account.id, sampleAlbum({ id: albumId }), 1);
  return account.id;
}
