import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesktopHandlers } from '../../../src-shared/desktop/api.js';
import { createExportJobs } from '../export/exportJobs.js';
import type { DroppedFiles } from '../store/albumRepository.js';
import { createRemotePhotoFiles } from '../remote/remotePhotoFiles.js';
import { createConflictLog } from '../sync/conflictLog.js';
import type { DesktopCoreOptions } from './coreOptions.js';
import { mappingErrors } from './desktopErrors.js';
import { adminHandlers } from './handlers/adminHandlers.js';
import { albumHandlers } from './handlers/albumHandlers.js';
import { createCoreContext } from './handlers/context.js';
import { dialogHandlers } from './handlers/dialogHandlers.js';
import { exportHandlers } from './handlers/exportHandlers.js';
import { pageHandlers } from './handlers/pageHandlers.js';
import { photoHandlers } from './handlers/photoHandlers.js';
import { LAST_SESSION, sessionHandlers } from './handlers/sessionHandlers.js';
import { conflictHandlers, syncHandlers } from './handlers/syncHandlers.js';
import { uploadHandlers } from './handlers/uploadHandlers.js';
import { createSessionSlot } from './signedInSession.js';

export type { DesktopCoreOptions, NativeDialogs } from './coreOptions.js';

/**
 * The desktop API, implemented once over the services: the local store answers at once (the
 * app works offline), the sync engine carries changes to and from Weebum Cloud, and admin
 * actions are delegated to the cloud. Both transports (Electron IPC, browser host) call these
 * handlers after validating arguments with the contract's schemas. One file per namespace of
 * the contract (handlers/); what someone signed in owns lives in signedInSession.ts.
 */
export function createDesktopCore(options: DesktopCoreOptions) {
  const { store, events } = options;
  const exports = createExportJobs({
    emit: (progress) => events.emit('export.progress', progress),
    log: options.log,
  });
  const conflicts = createConflictLog({
    settings: store.settings,
    randomId: randomUUID,
    now: options.now,
  });
  const remoteFiles = createRemotePhotoFiles({
    photos: store.photos,
    cloud: () => (session.current?.cloud.current() ? session.current.cloud : null),
    thumbnailsDir: options.thumbnailsDir,
    originalsDir: options.originalsDir ?? join(options.thumbnailsDir, '..', 'originals'),
    ...(options.originalsCacheBytes === undefined
      ? {}
      : { maxOriginalBytes: options.originalsCacheBytes }),
  });

  async function removeFiles(files: DroppedFiles): Promise<void> {
    // Only our cached thumbnails, and only those no remaining photo shares: the photo files
    // are the user's own and stay where they are.
    const unused = files.thumbnails.filter((file) => !store.photos.thumbnailInUse(file));
    await Promise.all(unused.map((file) => rm(file, { force: true })));
    // Cached originals of photos other computers uploaded, once no photo has those bytes.
    await Promise.all(files.contentIds.map((sha256) => remoteFiles.forget(sha256)));
  }

  const session = createSessionSlot({
    store,
    credentials: options.credentials,
    events,
    conflicts,
    remoteFiles,
    trustedCa: options.trustedCa,
    now: options.now,
    log: options.log,
    removeFiles,
    ...(options.syncIntervalMs === undefined ? {} : { syncIntervalMs: options.syncIntervalMs }),
    remember: (serverUrl, loginId) => store.settings.set(LAST_SESSION, { serverUrl, loginId }),
  });
  const ctx = createCoreContext({
    options,
    store,
    events,
    conflicts,
    remoteFiles,
    exports,
    session,
  });

  const handlers = mappingErrors({
    ...sessionHandlers(ctx),
    ...albumHandlers(ctx),
    ...pageHandlers(ctx),
    ...photoHandlers(ctx),
    ...exportHandlers(ctx),
    ...uploadHandlers(ctx),
    ...syncHandlers(ctx),
    ...conflictHandlers(ctx),
    ...dialogHandlers(ctx),
    ...adminHandlers(ctx),
  } satisfies DesktopHandlers);

  return {
    handlers,
    /**
     * A thumbnail file of a photo in this store (by its row id), for the transport to serve;
     * a remote photo's is fetched from the server the first time (null when that fails).
     */
    async thumbnailFile(photoId: string): Promise<string | null> {
      const photo = store.photos.get(photoId);
      if (!photo) return null;
      if (photo.thumbnailPath !== null || photo.origin !== 'remote') return photo.thumbnailPath;
      return remoteFiles.thumbnail(photo).catch((error: unknown) => {
        options.log(`thumbnail of photo ${photo.id} could not be fetched`, error);
        return null;
      });
    },
    async close(): Promise<void> {
      exports.cancelAll();
      await session.end();
    },
  };
}
export type DesktopCore = ReturnType<typeof createDesktopCore>;

export const thumbnailsDirIn = (dataDir: string): string => join(dataDir, 'thumbnails');
