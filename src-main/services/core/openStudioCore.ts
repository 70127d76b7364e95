import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chooseCredentialStore } from '../credentials/chooseCredentialStore.js';
import type { CredentialStore } from '../credentials/credentialStore.js';
import { createEventHub } from '../events/eventHub.js';
import {
  createImportWorkerPool,
  type ImportWorkerPoolOptions,
} from '../import/importWorkerPool.js';
import { openLocalStore } from '../store/openLocalStore.js';
import { createDesktopCore, thumbnailsDirIn, type NativeDialogs } from './desktopCore.js';

export interface StudioCoreOptions {
  readonly dataDir: string;
  /** The development CA of a local Weebum Cloud, trusted for every server; else the system's. */
  readonly trustedCaFile?: string;
  /** Tests pass a memory store; the app probes the OS keychain. */
  readonly credentials?: CredentialStore;
  /** How the renderer reaches a thumbnail on this transport. */
  readonly thumbnailUrl: (photoId: string) => string;
  /** The Electron bundle names its own worker entry. */
  readonly importWorkers?: ImportWorkerPoolOptions;
  /** Electron's file dialogs; the browser host has none. */
  readonly dialogs?: NativeDialogs;
  /** assets/fonts: the IPAex fonts the PDF export embeds (and the editor shows). */
  readonly fontsDir: string;
  /** How often sync runs besides after local changes (default: the engine's, 5 s). */
  readonly syncIntervalMs?: number;
  readonly log: (message: string, error?: unknown) => void;
}

/**
 * Weebum Studio's Node side without a transport: the data directory, the store, the credential
 * store, the import workers and the desktop core. Both the browser host and Electron start it.
 */
export async function openStudioCore(options: StudioCoreOptions) {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const opened = openLocalStore({
    file: join(options.dataDir, 'studio.db'),
    now: () => new Date(),
  });
  if (!opened.ok) throw new Error(opened.error.message);
  const { store, recovered } = opened.value;
  if (recovered)
    options.log(`The local database was damaged and moved aside to ${recovered.movedTo}`);
  const ca = options.trustedCaFile ? await readFile(options.trustedCaFile) : undefined;
  const credentials = options.credentials ?? (await chooseCredentialStore());
  const events = createEventHub((error) => options.log('event listener failed', error));
  const workers = createImportWorkerPool(options.importWorkers);
  const thumbnailsDir = thumbnailsDirIn(options.dataDir);
  const core = createDesktopCore({
    store,
    credentials,
    events,
    workers,
    thumbnailsDir,
    originalsDir: join(options.dataDir, 'originals'),
    fontsDir: options.fontsDir,
    trustedCa: () => ca,
    thumbnailUrl: options.thumbnailUrl,
    ...(options.dialogs ? { dialogs: options.dialogs } : {}),
    ...(options.syncIntervalMs ? { syncIntervalMs: options.syncIntervalMs } : {}),
    now: () => new Date(),
    log: options.log,
  });
  return {
    core,
    events,
    credentials,
    thumbnailsDir,
    async close() {
      await core.close();
      await workers.close();
      store.close();
    },
  };
}
export type StudioCore = Awaited<ReturnType<typeof openStudioCore>>;
