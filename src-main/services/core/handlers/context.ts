import type { DesktopHandlers } from '../../../../src-shared/desktop/api.js';
import type { MethodName } from '../../../../src-shared/desktop/contract.js';
import type { Album } from '../../../../src-shared/model/album.js';
import type { Page } from '../../../../src-shared/model/page.js';
import type { CloudSession } from '../../cloud/cloudSession.js';
import type { EventHub } from '../../events/eventHub.js';
import type { ExportJobs } from '../../export/exportJobs.js';
import type { RemotePhotoFiles } from '../../remote/remotePhotoFiles.js';
import type { LocalStore } from '../../store/localStore.js';
import type { ConflictLog } from '../../sync/conflictLog.js';
import type { DesktopCoreOptions } from '../coreOptions.js';
import { albumNotFound, signedOut, valueOf } from '../desktopErrors.js';
import type { SessionSlot, SignedInSession } from '../signedInSession.js';

/** What every namespace's handlers share: the services, the session slot and a few reads. */
export interface CoreContext {
  readonly options: DesktopCoreOptions;
  readonly store: LocalStore;
  readonly events: EventHub;
  readonly conflicts: ConflictLog;
  readonly remoteFiles: RemotePhotoFiles;
  readonly exports: ExportJobs;
  readonly session: SessionSlot;
  /** The signed-in session, or signed_out. */
  signedIn(): SignedInSession;
  /** The signed-in session's cloud, or signed_out. */
  cloud(): CloudSession;
  /** The signed-in user's account row, or signed_out. */
  accountId(): number;
  /** Asks the sync engine, if any, for a round now; its outcome is reported through sync.state. */
  syncSoon(): void;
  /** An album this account may still see, or album_not_found (a missing one included). */
  requireAlbum(albumId: string): Album;
  /** The album's pages that are not deleted, in order. */
  livePages(albumId: string): Page[];
}

export function createCoreContext(
  parts: Pick<
    CoreContext,
    'options' | 'store' | 'events' | 'conflicts' | 'remoteFiles' | 'exports' | 'session'
  >,
): CoreContext {
  const { store, session } = parts;
  const signedIn = (): SignedInSession => {
    if (!session.current) throw signedOut();
    return session.current;
  };
  return {
    ...parts,
    signedIn,
    cloud: () => signedIn().cloud,
    accountId() {
      const id = signedIn().accountId;
      if (id === null) throw signedOut();
      return id;
    },
    syncSoon() {
      session.current?.engine?.syncNow().catch(() => undefined); // reported through sync.state
    },
    requireAlbum(albumId) {
      const stored = valueOf(store.albums.get(albumId));
      if (!stored || stored.accessLost) throw albumNotFound();
      return stored.album;
    },
    livePages: (albumId) => valueOf(store.pages.list(albumId)),
  };
}

/** The handlers of the methods under one namespace of the desktop contract (`albums`, ...). */
export type NamespaceHandlers<N extends string> = Pick<
  DesktopHandlers,
  Extract<MethodName, `${N}.${string}`>
>;
