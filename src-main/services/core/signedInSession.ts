import type { SessionInfo } from '../../../src-shared/desktop/contract.js';
import { createCloudSession, type CloudSession } from '../cloud/cloudSession.js';
import { createHttpsTransport } from '../cloud/httpsTransport.js';
import type { CredentialStore } from '../credentials/credentialStore.js';
import type { EventHub } from '../events/eventHub.js';
import type { DroppedFiles } from '../store/albumRepository.js';
import type { LocalStore } from '../store/localStore.js';
import type { RemotePhotoFiles } from '../remote/remotePhotoFiles.js';
import type { ConflictLog } from '../sync/conflictLog.js';
import { createSyncEngine, type SyncEngine } from '../sync/syncEngine.js';
import { createBlobTransfer, type BlobTransfer } from '../upload/blobTransfer.js';
import { createUploadQueue, type UploadQueue } from '../upload/uploadQueue.js';
import { signedOut } from './desktopErrors.js';
import { toSessionInfo } from './sessionInfo.js';

export interface SignedInSessionDeps {
  readonly store: LocalStore;
  readonly credentials: CredentialStore;
  readonly events: EventHub;
  readonly conflicts: ConflictLog;
  readonly remoteFiles: RemotePhotoFiles;
  readonly trustedCa: (serverUrl: string) => Buffer | undefined;
  readonly now: () => Date;
  readonly log: (message: string, error?: unknown) => void;
  readonly removeFiles: (files: DroppedFiles) => Promise<void>;
  readonly syncIntervalMs?: number;
  /** Remembers who signed in last, for the next start. */
  readonly remember: (serverUrl: string, loginId: string) => void;
}

/**
 * What lives while someone is signed in to one server: the HTTPS transport, the cloud session
 * and, once the password needs no change, the sync engine, the upload queue and the blob
 * transfer. Started and stopped here only.
 */
export interface SignedInSession {
  readonly serverUrl: string;
  readonly cloud: CloudSession;
  /** The signed-in user's account row, once `start` has recorded it. */
  readonly accountId: number | null;
  readonly engine: SyncEngine | null;
  readonly uploads: UploadQueue | null;
  /** Records the account, starts sync and uploads if they may run, announces the session. */
  start(): SessionInfo;
  /** Stops sync and uploads (the cloud session stays). */
  stopSync(): Promise<void>;
  /** Closes the connection; stop sync first. */
  close(): void;
}

function openSignedInSession(deps: SignedInSessionDeps, serverUrl: string): SignedInSession {
  const transport = createHttpsTransport({ baseUrl: serverUrl, ca: deps.trustedCa(serverUrl) });
  const cloud = createCloudSession({ transport, tokens: deps.credentials });
  let accountId: number | null = null;
  let engine: SyncEngine | null = null;
  let uploads: UploadQueue | null = null;
  let transfer: BlobTransfer | null = null;
  const url = transport.baseUrl;

  return {
    serverUrl: url,
    cloud,
    get accountId() {
      return accountId;
    },
    get engine() {
      return engine;
    },
    get uploads() {
      return uploads;
    },
    start() {
      const user = cloud.current();
      if (!user) throw signedOut();
      const { store, events } = deps;
      const account = store.accounts.upsert({
        serverUrl: url,
        userId: user.id,
        loginId: user.loginId,
        tenantId: user.tenantId ?? '',
        role: user.role,
        displayName: user.displayName,
      });
      accountId = account.id;
      deps.remember(url, user.loginId);
      const info = toSessionInfo(url, user, deps.credentials.availability);
      if (!user.passwordChangeRequired && !engine) {
        engine = createSyncEngine({
          store,
          cloud,
          accountId: account.id,
          userId: user.id,
          events,
          conflicts: deps.conflicts,
          now: deps.now,
          removeFiles: deps.removeFiles,
          log: deps.log,
          remotePhotos: deps.remoteFiles,
        });
        engine.start(deps.syncIntervalMs);
        // Upload URLs point at the cloud itself (local blob store) or at S3: the same trust.
        transfer = createBlobTransfer({ ca: deps.trustedCa(url) });
        uploads = createUploadQueue({
          store,
          cloud,
          transfer,
          events,
          now: deps.now,
          log: (event) => {
            if (event.kind === 'error') deps.log(`upload queue: ${event.message}`);
          },
        });
        uploads.start();
      }
      events.emit('session.changed', info);
      return info;
    },
    async stopSync() {
      await engine?.stop();
      await uploads?.stop();
      transfer?.close();
      engine = null;
      uploads = null;
      transfer = null;
    },
    close() {
      transport.close();
    },
  };
}

/** The one session slot of a desktop core: nobody, or one signed-in session. */
export interface SessionSlot {
  readonly current: SignedInSession | null;
  /** The session for this server, opening it (and ending another server's) when needed. */
  connect(serverUrl: string): SignedInSession;
  /** Stops the current session's sync and uploads. */
  stopSync(): Promise<void>;
  /** Stops everything, signs out of the cloud if asked, and leaves the slot empty. */
  end(options?: { signOut: boolean }): Promise<void>;
}

export function createSessionSlot(deps: SignedInSessionDeps): SessionSlot {
  let active: SignedInSession | null = null;
  return {
    get current() {
      return active;
    },
    connect(serverUrl) {
      if (active && active.serverUrl !== serverUrl) {
        void active.stopSync();
        active.close();
        active = null;
      }
      active ??= openSignedInSession(deps, serverUrl);
      return active;
    },
    async stopSync() {
      await active?.stopSync();
    },
    async end({ signOut } = { signOut: false }) {
      await active?.stopSync();
      if (signOut) await active?.cloud.signOut();
      active?.close();
      active = null;
    },
  };
}
