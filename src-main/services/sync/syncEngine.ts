import { albumApi } from '../../../src-shared/cloud/albums.js';
import type { SyncState } from '../../../src-shared/desktop/contract.js';
import { parseAlbum } from '../../../src-shared/model/parse.js';
import { CloudError } from '../cloud/cloudError.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { EventHub } from '../events/eventHub.js';
import type { DroppedFiles } from '../store/albumRepository.js';
import type { LocalStore } from '../store/localStore.js';
import type { ConflictLog } from './conflictLog.js';
import { backfillPhotos, pullAlbum } from './feedPull.js';
import { pushAlbum, type PushReport } from './pagePush.js';

export interface SyncEngineDeps {
  readonly store: LocalStore;
  readonly cloud: CloudSession;
  readonly accountId: number;
  readonly userId: string;
  readonly events: EventHub;
  /** Where reported conflicts wait for the designer; the state's count is its size. */
  readonly conflicts: ConflictLog;
  readonly now: () => Date;
  /** Deletes cached files of dropped rows (thumbnails); never a user's original photo. */
  readonly removeFiles: (files: DroppedFiles) => Promise<void>;
  readonly log: (message: string, error?: unknown) => void;
  /** Fetches thumbnails of photos other computers uploaded (absent: none are fetched). */
  readonly remotePhotos?: { prefetchThumbnails(albumId: string): Promise<number> };
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Keeps the local store and the server in step: albums list, then per album pull the change
 * feed (merging into dirty pages) and push the outbox. Offline is a normal state: edits stay
 * local and the engine retries with backoff and jitter.
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  const { store, cloud, events } = deps;
  let state: SyncState = {
    connection: 'online',
    syncing: false,
    pending: store.outbox.count(),
    conflicts: deps.conflicts.count(),
    lastError: null,
    lastSyncedAt: null,
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let following: Promise<void> | null = null;
  /** Stopped by `stop()`: no follow-up sync starts after it. */
  let halted = false;
  let failures = 0;
  let stopped = true;

  const publish = (next: Partial<SyncState>) => {
    state = { ...state, ...next, pending: store.outbox.count(), conflicts: deps.conflicts.count() };
    events.emit('sync.state', state);
  };

  async function refreshAlbums(): Promise<string[]> {
    // Only albums known before asking can be missing from the answer: one made meanwhile
    // (albums.create while the list was on its way) is not in it yet and must not be dropped.
    const known = store.albums.list(deps.accountId);
    const body = await cloud.call(albumApi.list);
    const visible = new Set<string>();
    for (const album of body.albums) {
      const parsed = parseAlbum(album.settings);
      if (!parsed.ok) continue;
      store.albums.upsertRemote(deps.accountId, parsed.value, album.version);
      visible.add(album.id);
    }
    const lost: string[] = [];
    if (known.ok) {
      for (const record of known.value) {
        if (!visible.has(record.album.id)) {
          store.albums.markAccessLost(record.album.id);
          deps.conflicts.dropAlbum(record.album.id);
          await deps.removeFiles(store.albums.remove(record.album.id));
          lost.push(record.album.id);
        }
      }
    }
    events.emit('albums.changed', { albumIds: [...visible], accessLost: lost });
    return [...visible];
  }

  async function syncOnce(): Promise<void> {
    publish({ syncing: true });
    try {
      for (const albumId of await refreshAlbums()) {
        const conflicts: PushReport['conflicts'] = [];
        const pulled = await pullAlbum(store, cloud, {
          albumId,
          accountId: deps.accountId,
          userId: deps.userId,
        });
        for (const files of pulled.dropped) await deps.removeFiles(files);
        conflicts.push(...pulled.conflicts);
        if (pulled.accessLost) {
          deps.conflicts.dropAlbum(albumId);
          events.emit('albums.changed', { albumIds: [], accessLost: [albumId] });
          continue;
        }
        const backfilled = await backfillPhotos(store, cloud, albumId);
        if (pulled.photosChanged || backfilled) events.emit('photos.changed', { albumId });
        const pushed = await pushAlbum(store, cloud, albumId);
        conflicts.push(...pushed.conflicts);
        const changed = [
          ...new Set([...pulled.changedPages, ...pushed.conflicts.map((c) => c.pageId)]),
        ];
        if (changed.length > 0) events.emit('pages.changed', { albumId, pageIds: changed });
        const failed = pushed.failed[0];
        if (failed) publish({ lastError: { code: failed.code, message: failed.message } });
        const found = deps.conflicts.record(albumId, conflicts);
        if (found.length > 0) events.emit('sync.conflicts', found);
        // After the push: a first sync with thousands of new photos must not hold edits back.
        const thumbnails = (await deps.remotePhotos?.prefetchThumbnails(albumId)) ?? 0;
        if (thumbnails > 0) events.emit('photos.changed', { albumId });
      }
      failures = 0;
      publish({
        connection: 'online',
        syncing: false,
        lastSyncedAt: deps.now().toISOString(),
      });
    } catch (error) {
      failures++;
      const offline = error instanceof CloudError && error.status === 0;
      const known = error instanceof CloudError;
      if (!known) deps.log('sync failed', error);
      publish({
        connection: offline ? 'offline' : state.connection,
        syncing: false,
        lastError: known
          ? { code: error.code, message: error.message }
          : { code: 'sync_failed', message: 'Sync failed; it will be retried' },
      });
      throw error;
    }
  }

  /**
   * One sync at a time. A call during a run may come with a change the run has pushed past
   * already (a page saved meanwhile): it gets one more sync right after the run, shared by
   * every such caller, instead of waiting for the next tick.
   */
  function syncNow(): Promise<void> {
    if (running !== null) {
      following ??= running
        .catch(() => undefined)
        .then(() => {
          following = null;
          return halted ? undefined : syncNow();
        });
      return following;
    }
    running = syncOnce().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delayMs: number, intervalMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      syncNow()
        .catch(() => undefined) // reported through the state event
        .finally(() => {
          const backoff =
            failures === 0 ? intervalMs : Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** failures);
          // Jitter spreads clients that lost the server at the same moment.
          schedule(backoff * (0.5 + Math.random() / 2), intervalMs);
        });
    }, delayMs);
  }

  return {
    syncNow,
    state: (): SyncState => ({
      ...state,
      pending: store.outbox.count(),
      conflicts: deps.conflicts.count(),
    }),
    start(intervalMs = 5_000): void {
      if (!stopped) return;
      stopped = false;
      halted = false;
      schedule(0, intervalMs);
    },
    async stop(): Promise<void> {
      stopped = true;
      halted = true;
      clearTimeout(timer);
      await following?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;
