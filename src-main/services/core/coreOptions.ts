import type { CredentialStore } from '../credentials/credentialStore.js';
import type { EventHub } from '../events/eventHub.js';
import type { ImportWorkerPool } from '../import/importWorkerPool.js';
import type { LocalStore } from '../store/localStore.js';

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

/** What the transport's platform offers for choosing files (Electron's dialog module). */
export interface NativeDialogs {
  chooseImport(kind: 'files' | 'folder'): Promise<string[]>;
  chooseExportFile(suggestedName: string): Promise<string | null>;
}
