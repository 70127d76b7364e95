import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { DesktopError, type DesktopHandlers } from '../../../src-shared/desktop/api.js';
import type {
  AlbumSummary,
  PhotoSummary,
  SessionInfo,
} from '../../../src-shared/desktop/contract.js';
import type { Album } from '../../../src-shared/model/album.js';
import { filterPhotos, placementCounts } from '../../../src-shared/library/placements.js';
import { parseAlbum } from '../../../src-shared/model/parse.js';
import { blankPage } from '../../../src-shared/model/blankPage.js';
import type { Page } from '../../../src-shared/model/page.js';
import { albumApi } from '../../../src-shared/cloud/albums.js';
import { auditApi } from '../../../src-shared/cloud/audit.js';
import { userApi, type UserView } from '../../../src-shared/cloud/users.js';
import { CloudError } from '../cloud/cloudError.js';
import { createCloudSession, type CloudSession } from '../cloud/cloudSession.js';
import { createHttpsTransport, type HttpsTransport } from '../cloud/httpsTransport.js';
import type { CredentialStore } from '../credentials/credentialStore.js';
import type { EventHub } from '../events/eventHub.js';
import { checkDestination, createExportJobs, ExportRequestError } from '../export/exportJobs.js';
import { importPhotos } from '../import/importPhotos.js';
import type { ImportWorkerPool } from '../import/importWorkerPool.js';
import type { DroppedFiles } from '../store/albumRepository.js';
import type { LocalStore } from '../store/localStore.js';
import { contentIdOf, type PhotoRecord } from '../store/photoRepository.js';
import { createRemotePhotoFiles } from '../remote/remotePhotoFiles.js';
import { createConflictLog } from '../sync/conflictLog.js';
import { createSyncEngine, type SyncEngine } from '../sync/syncEngine.js';
import { createBlobTransfer, type BlobTransfer } from '../upload/blobTransfer.js';
import { createUploadQueue, type UploadQueue } from '../upload/uploadQueue.js';
import { toSessionInfo } from './sessionInfo.js';
import { storeImportSink } from './storeImportSink.js';

export interface DesktopCoreOptions {
  readonly store: LocalStore;
  readonly credentials: CredentialStore;
  readonly events: EventHub;
  readonly workers: ImportWorkerPool;
  /** Where thumbnails are written (inside the app's data directory). */
  readonly thumbnailsDir: string;
  /** Cached originals of photos other computers uploaded; default `originals` beside thumbnails. */
  readonly originalsDir?: string;
  /** Bound of that cache in bytes (default 2 GiB). */
  readonly originalsCacheBytes?: number;
  /** CA certificates to trust for a server (its development CA); undefined: the system's. */
  readonly trustedCa: (serverUrl: string) => Buffer | undefined;
  /** How the renderer reaches a thumbnail on this transport (host URL or app protocol). */
  readonly thumbnailUrl: (photoId: string) => string;
  readonly now: () => Date;
  readonly log: (message: string, error?: unknown) => void;
  readonly syncIntervalMs?: number;
  /** assets/fonts: the IPAex fonts the PDF export embeds. */
  readonly fontsDir: string;
  /** The system's file dialogs (Electron only). */
  readonly dialogs?: NativeDialogs;
}

/** Who was signed in last, so the next start resumes from the keychain without a password. */
const LastSession = z.object({ serverUrl: z.string(), loginId: z.string() });
const LAST_SESSION = 'session.last';

interface Active {
  readonly serverUrl: string;
  readonly transport: HttpsTransport;
  readonly cloud: CloudSession;
  accountId: number | null;
  engine: SyncEngine | null;
  uploads: UploadQueue | null;
  transfer: BlobTransfer | null;
}

/** What the transport's platform offers for choosing files (Electron's dialog module). */
export interface NativeDialogs {
  chooseImport(kind: 'files' | 'folder'): Promise<string[]>;
  chooseExportFile(suggestedName: string): Promise<string | null>;
}

/**
 * The desktop API, implemented once over the services: the local store answers at once (the
 * app works offline), the sync engine carries changes to and from Weebum Cloud, and admin
 * actions are delegated to the cloud. Both transports (Electron IPC, browser host) call these
 * handlers after validating arguments with the contract's schemas.
 */
export function createDesktopCore(options: DesktopCoreOptions) {
  const { store, events } = options;
  let active: Active | null = null;
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
    cloud: () => (active?.cloud.current() ? active.cloud : null),
    thumbnailsDir: options.thumbnailsDir,
    originalsDir: options.originalsDir ?? join(options.thumbnailsDir, '..', 'originals'),
    ...(options.originalsCacheBytes === undefined
      ? {}
      : { maxOriginalBytes: options.originalsCacheBytes }),
  });

  const offline = () =>
    new DesktopError('offline', 'This needs a connection to Weebum Cloud (オフラインです)');
  const signedOut = () => new DesktopError('signed_out', 'Sign in first (サインインしてください)');

  function requireDialogs(): NativeDialogs {
    if (options.dialogs) return options.dialogs;
    throw new DesktopError(
      'dialogs_unavailable',
      'File dialogs need the desktop app (ファイル選択はデスクトップアプリでのみ使えます)',
    );
  }

  function requireActive(): Active {
    if (!active) throw signedOut();
    return active;
  }

  /** Cloud errors keep their code and message; the UI translates the code. */
  async function cloudCall<T>(work: (cloud: CloudSession) => Promise<T>): Promise<T> {
    const session = requireActive();
    try {
      return await work(session.cloud);
    } catch (error) {
      if (error instanceof CloudError) throw new DesktopError(error.code, error.message);
      throw error;
    }
  }

  async function removeFiles(files: DroppedFiles): Promise<void> {
    // Only our cached thumbnails, and only those no remaining photo shares: the photo files
    // are the user's own and stay where they are.
    const unused = files.thumbnails.filter((file) => !store.photos.thumbnailInUse(file));
    await Promise.all(unused.map((file) => rm(file, { force: true })));
    // Cached originals of photos other computers uploaded, once no photo has those bytes.
    await Promise.all(files.contentIds.map((sha256) => remoteFiles.forget(sha256)));
  }

  function connect(serverUrl: string): Active {
    if (active && active.serverUrl !== serverUrl) {
      void stopSync();
      active.transport.close();
      active = null;
    }
    if (active) return active;
    const transport = createHttpsTransport({
      baseUrl: serverUrl,
      ca: options.trustedCa(serverUrl),
    });
    active = {
      serverUrl: transport.baseUrl,
      transport,
      cloud: createCloudSession({ transport, tokens: options.credentials }),
      accountId: null,
      engine: null,
      uploads: null,
      transfer: null,
    };
    return active;
  }

  function startSync(session: Active): SessionInfo {
    const user = session.cloud.current();
    if (!user) throw signedOut();
    const account = store.accounts.upsert({
      serverUrl: session.serverUrl,
      userId: user.id,
      loginId: user.loginId,
      tenantId: user.tenantId ?? '',
      role: user.role,
      displayName: user.displayName,
    });
    session.accountId = account.id;
    store.settings.set(LAST_SESSION, { serverUrl: session.serverUrl, loginId: user.loginId });
    const info = toSessionInfo(session.serverUrl, user, options.credentials.availability);
    if (!user.passwordChangeRequired && !session.engine) {
      session.engine = createSyncEngine({
        store,
        cloud: session.cloud,
        accountId: account.id,
        userId: user.id,
        events,
        conflicts,
        now: options.now,
        removeFiles,
        log: options.log,
        remotePhotos: remoteFiles,
      });
      session.engine.start(options.syncIntervalMs);
      // Upload URLs point at the cloud itself (local blob store) or at S3: the same trust.
      session.transfer = createBlobTransfer({ ca: options.trustedCa(session.serverUrl) });
      session.uploads = createUploadQueue({
        store,
        cloud: session.cloud,
        transfer: session.transfer,
        events,
        now: options.now,
        log: (event) => {
          if (event.kind === 'error') options.log(`upload queue: ${event.message}`);
        },
      });
      session.uploads.start();
    }
    events.emit('session.changed', info);
    return info;
  }

  async function stopSync(): Promise<void> {
    await active?.engine?.stop();
    await active?.uploads?.stop();
    active?.transfer?.close();
    if (active) {
      active.engine = null;
      active.uploads = null;
      active.transfer = null;
    }
  }

  function uploads(): UploadQueue {
    const queue = requireActive().uploads;
    if (!queue) throw signedOut();
    return queue;
  }

  /**
   * Pages added, deleted or moved outside the editor (the page strip): every open view of the
   * album (the editor among them) reloads them, then they go to the server.
   */
  function pagesChanged(albumId: string, pageIds: string[]): void {
    events.emit('pages.changed', { albumId, pageIds });
    syncSoon();
  }

  function syncSoon(): void {
    active?.engine?.syncNow().catch(() => undefined); // reported through sync.state
  }

  const accountId = (): number => {
    const id = requireActive().accountId;
    if (id === null) throw signedOut();
    return id;
  };

  function summary(albumId: string): AlbumSummary | null {
    const got = store.albums.get(albumId);
    if (!got.ok || !got.value || got.value.accessLost) return null;
    const album = got.value.album;
    const pages = store.pages.list(albumId);
    return {
      id: album.id,
      title: album.title,
      schoolName: album.schoolName,
      fiscalYear: album.fiscalYear,
      status: album.status,
      pageCount: pages.ok ? pages.value.length : 0,
      pendingChanges: store.outbox.list({ albumId }).length,
      conflicts: conflicts.count(albumId),
    };
  }

  /** An album this account may still see, or album_not_found (a missing one included). */
  function requireAlbum(albumId: string): Album {
    const got = store.albums.get(albumId);
    if (!got.ok) throw new DesktopError(got.error.code, got.error.message);
    if (!got.value || got.value.accessLost) throw albumNotFound();
    return got.value.album;
  }

  function livePages(albumId: string): Page[] {
    const pages = store.pages.list(albumId);
    if (!pages.ok) throw new DesktopError(pages.error.code, pages.error.message);
    return pages.value;
  }

  const handlers: DesktopHandlers = {
    async 'session.signIn'({ serverUrl, loginId, password }) {
      // Whoever was signed in stops syncing first: their engine must never run with the next
      // user's tokens, or it would file that user's albums under their own account.
      await stopSync();
      const session = connect(serverUrl);
      try {
        await cloudCall((cloud) => cloud.signIn(loginId, password));
      } catch (error) {
        if (session.cloud.current()) startSync(session); // the previous user carries on
        throw error;
      }
      return startSync(session);
    },
    async 'session.changePassword'({ currentPassword, newPassword }) {
      const session = requireActive();
      await cloudCall((cloud) => cloud.changePassword(currentPassword, newPassword));
      return startSync(session);
    },
    async 'session.signOut'() {
      await stopSync();
      await active?.cloud.signOut();
      active?.transport.close();
      active = null;
      events.emit('session.changed', null);
      return null;
    },
    async 'session.current'() {
      if (active?.cloud.current()) {
        return toSessionInfo(
          active.serverUrl,
          active.cloud.current()!,
          options.credentials.availability,
        );
      }
      const last = store.settings.get(LAST_SESSION, LastSession);
      if (!last) return null;
      const session = connect(last.serverUrl);
      try {
        const user = await session.cloud.resume(last.loginId);
        return user ? startSync(session) : null;
      } catch (error) {
        // Offline at start: the user signs in again when the server is back.
        if (error instanceof CloudError) return null;
        throw error;
      }
    },

    async 'albums.list'() {
      const albums = store.albums.list(accountId());
      if (!albums.ok) throw new DesktopError(albums.error.code, albums.error.message);
      return albums.value.flatMap((r) => summary(r.album.id) ?? []);
    },
    async 'albums.create'({ schoolTenantId, ...settings }) {
      const created = await cloudCall((cloud) =>
        cloud.call(albumApi.create, {
          body: { schoolTenantId, settings: { ...settings, status: 'draft' } },
        }),
      );
      const parsed = parseAlbum(created.settings);
      if (!parsed.ok) throw new DesktopError('invalid_document', parsed.error.message);
      store.albums.upsertRemote(accountId(), parsed.value, created.version);
      for (let i = 0; i < settings.pageCount; i++) {
        store.pages.saveLocal(parsed.value.id, blankPage(parsed.value.id, newPageId(), i));
      }
      syncSoon();
      const made = summary(parsed.value.id);
      if (!made) throw new DesktopError('album_not_found', 'The album could not be opened');
      return made;
    },
    async 'albums.open'({ albumId }) {
      return requireAlbum(albumId);
    },
    async 'albums.exportArchive'({ albumId, destinationPath }) {
      if (!isAbsolute(destinationPath)) {
        throw new DesktopError(
          'invalid_path',
          'Choose where to save the archive (保存先を選んでください)',
        );
      }
      // Streamed to a temporary name beside the target, renamed only when complete: a cut
      // connection or a killed app never leaves a partial archive under the chosen name.
      const temporary = `${destinationPath}.${randomUUID()}.part`;
      try {
        await cloudCall((cloud) =>
          cloud.download(albumApi.export, temporary, { params: { albumId } }),
        );
        await rename(temporary, destinationPath);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return { path: destinationPath, bytes: (await stat(destinationPath)).size };
    },

    async 'pages.list'({ albumId }) {
      return livePages(albumId);
    },
    async 'pages.save'({ albumId, page }) {
      requireAlbum(albumId);
      const stored = store.pages.get(albumId, page.id);
      if (!stored.ok) throw new DesktopError(stored.error.code, stored.error.message);
      // An edit saved late must not undo the strip: pages are made by pages.add, a deleted one
      // (here or by sync) stays deleted, and a page's place belongs to add, delete and reorder,
      // not to the editor's copy of it.
      if (stored.value === null || stored.value.deleted) throw pageNotFound();
      store.pages.saveLocal(albumId, { ...page, albumId, index: stored.value.local.index });
      syncSoon();
      return null;
    },
    async 'pages.add'({ albumId, afterPageId }) {
      const pages = livePages(albumId);
      const after = afterPageId === null ? -1 : pages.findIndex((p) => p.id === afterPageId);
      const page = blankPage(albumId, newPageId(), after + 1);
      store.transaction(() => {
        for (const p of pages.slice(after + 1))
          store.pages.saveLocal(albumId, { ...p, index: p.index + 1 });
        store.pages.saveLocal(albumId, page);
      });
      pagesChanged(albumId, [page.id, ...pages.slice(after + 1).map((p) => p.id)]);
      return page;
    },
    async 'pages.delete'({ albumId, pageId }) {
      store.pages.deleteLocal(albumId, pageId);
      pagesChanged(albumId, [pageId]);
      return null;
    },
    async 'pages.reorder'({ albumId, pageIds }) {
      const pages = new Map(livePages(albumId).map((p) => [p.id, p]));
      if (pageIds.length !== pages.size || pageIds.some((id) => !pages.has(id))) {
        throw new DesktopError(
          'invalid_arguments',
          'pageIds must list every page of the album once',
        );
      }
      const moved = pageIds.filter((id, index) => pages.get(id)!.index !== index);
      store.transaction(() =>
        moved.forEach((id) => {
          store.pages.saveLocal(albumId, { ...pages.get(id)!, index: pageIds.indexOf(id) });
        }),
      );
      pagesChanged(albumId, moved);
      return null;
    },

    async 'photos.import'({ albumId, paths }) {
      requireAlbum(albumId);
      const batchId = randomUUID();
      void importPhotos({
        albumId,
        paths,
        batchId,
        workers: options.workers,
        thumbnailsDir: options.thumbnailsDir,
        onProgress: (progress) => {
          events.emit('import.progress', progress);
          active?.uploads?.kick(); // recorded photos are queued: start sending them
        },
        sink: storeImportSink(store, batchId),
      }).catch((error: unknown) => options.log('import failed', error));
      return { batchId };
    },
    async 'photos.list'({ albumId, state, ...filter }) {
      requireAlbum(albumId);
      const counts = placementCounts(livePages(albumId));
      const ids = libraryIds(store.photos.list(albumId));
      const photos = store.photos
        .list(albumId, state === undefined ? {} : { states: [state] })
        .map((p): PhotoSummary => {
          const id = ids.get(p.id) ?? p.id;
          return {
            id,
            albumId: p.albumId,
            fileName: p.fileName,
            width: p.width ?? 0,
            height: p.height ?? 0,
            takenAtLocal: p.exifDate,
            state: p.state,
            failureReason: p.failureReason,
            // A remote photo's thumbnail is fetched when first asked for, if sync has not yet.
            thumbnailUrl:
              p.thumbnailPath !== null || p.origin === 'remote' ? options.thumbnailUrl(p.id) : null,
            importBatchId: p.importBatchId,
            importedAt: p.importedAt,
            placements: counts.get(id) ?? 0,
          };
        });
      return filterPhotos(photos, filter, counts);
    },

    async 'export.pdf'({ albumId, pageRange, spreads, cropMarks, destinationPath }) {
      const album = requireAlbum(albumId);
      const pages = livePages(albumId);
      if (pageRange && (pageRange.from > pageRange.to || pageRange.to > pages.length)) {
        throw new DesktopError(
          'page_range_invalid',
          `The page range must lie within 1-${pages.length} (ページ範囲が正しくありません)`,
        );
      }
      try {
        await checkDestination(destinationPath);
      } catch (error) {
        if (error instanceof ExportRequestError) throw new DesktopError(error.code, error.message);
        throw error;
      }
      const { exportId } = exports.start({
        albumId,
        album,
        pages,
        photo: (photoId) => {
          const p = store.photos.findByContentId(albumId, photoId);
          if (!p) return null;
          return {
            filePath: p.filePath,
            width: p.width ?? 0,
            height: p.height ?? 0,
            state: p.state,
            // Another computer's photo: its original comes from the server, cached.
            ...(p.origin === 'remote' ? { fetchFile: () => remoteFiles.original(p) } : {}),
          };
        },
        destinationPath,
        pageRange,
        spreads,
        cropMarks,
        fontsDir: options.fontsDir,
      });
      return { exportId };
    },
    async 'export.cancel'({ exportId }) {
      try {
        exports.cancel(exportId);
      } catch (error) {
        if (error instanceof ExportRequestError) throw new DesktopError(error.code, error.message);
        throw error;
      }
      return null;
    },

    async 'uploads.status'() {
      return active?.uploads?.status() ?? [];
    },
    async 'uploads.pause'() {
      await uploads().pause();
      return null;
    },
    async 'uploads.resume'() {
      uploads().resume();
      return null;
    },
    async 'uploads.retry'({ photoIds }) {
      uploads().retry(photoIds);
      return null;
    },

    async 'sync.status'() {
      return (
        active?.engine?.state() ?? {
          connection: active ? 'online' : 'signed-out',
          syncing: false,
          pending: store.outbox.count(),
          conflicts: conflicts.count(),
          lastError: null,
          lastSyncedAt: null,
        }
      );
    },
    async 'dialogs.chooseImport'({ kind }) {
      return requireDialogs().chooseImport(kind);
    },
    async 'dialogs.chooseExportFile'({ suggestedName }) {
      return requireDialogs().chooseExportFile(suggestedName);
    },
    async 'conflicts.list'({ albumId }) {
      return conflicts.list(albumId);
    },
    async 'conflicts.dismiss'({ ids }) {
      conflicts.dismiss(ids);
      const engine = active?.engine;
      if (engine) events.emit('sync.state', engine.state());
      return null;
    },

    async 'sync.now'() {
      const engine = requireActive().engine;
      if (!engine) throw signedOut();
      try {
        await engine.syncNow();
      } catch (error) {
        if (error instanceof CloudError && error.status === 0) throw offline();
        if (error instanceof CloudError) throw new DesktopError(error.code, error.message);
        throw error;
      }
      return null;
    },

    async 'admin.users.list'() {
      const { users } = await cloudCall((cloud) => cloud.call(userApi.list));
      return users.map(toUserSummary);
    },
    async 'admin.users.create'(input) {
      const issued = await cloudCall((cloud) => cloud.call(userApi.create, { body: input }));
      return { user: toUserSummary(issued.user), temporaryPassword: issued.temporaryPassword };
    },
    async 'admin.users.update'({ userId, ...changes }) {
      const updated = await cloudCall((cloud) =>
        cloud.call(userApi.update, { params: { id: userId }, body: changes }),
      );
      return toUserSummary(updated);
    },
    async 'admin.users.delete'({ userId }) {
      await cloudCall((cloud) => cloud.call(userApi.remove, { params: { id: userId } }));
      return null;
    },
    async 'admin.users.resetPassword'({ userId }) {
      const reset = await cloudCall((cloud) =>
        cloud.call(userApi.resetPassword, { params: { id: userId } }),
      );
      return { temporaryPassword: reset.temporaryPassword };
    },
    async 'admin.audit.list'({ tz, before, limit }) {
      const page = await cloudCall((cloud) =>
        cloud.call(auditApi.list, {
          query: { tz, ...(before ? { before } : {}), ...(limit ? { limit } : {}) },
        }),
      );
      return {
        events: page.events.map((e) => ({
          id: e.id,
          occurredAt: e.occurredAt,
          action: e.action,
          outcome: e.outcome,
          actorId: e.actorId,
          targetId: e.targetId,
        })),
        nextBefore: page.nextBefore,
      };
    },
  };

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
      await stopSync();
      active?.transport.close();
      active = null;
    },
  };
}
export type DesktopCore = ReturnType<typeof createDesktopCore>;

const toUserSummary = (u: UserView) => ({
  id: u.id,
  loginId: u.loginId,
  displayName: u.displayName,
  email: u.email,
  role: u.role,
  disabled: u.disabled,
  passwordChangeRequired: u.passwordChangeRequired,
});

/**
 * The library's id of each photo: its content id (decision 17), which is what frames hold.
 * A failed row whose bytes another row of the album has keeps its row id, so ids stay unique.
 */
function libraryIds(photos: readonly PhotoRecord[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const ordered = [...photos].sort(
    (a, b) => Number(a.state === 'failed') - Number(b.state === 'failed'),
  );
  for (const p of ordered) {
    const id = contentIdOf(p);
    ids.set(p.id, taken.has(id) ? p.id : id);
    taken.add(ids.get(p.id)!);
  }
  return ids;
}

const albumNotFound = () =>
  new DesktopError('album_not_found', 'No such album (アルバムが見つかりません)');
const pageNotFound = () =>
  new DesktopError('page_not_found', 'The page was deleted (このページは削除されました)');

const newPageId = (): string => `page-${randomUUID()}`;

export const thumbnailsDirIn = (dataDir: string): string => join(dataDir, 'thumbnails');
