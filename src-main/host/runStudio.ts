import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDesktopCore, thumbnailsDirIn } from '../services/core/desktopCore.js';
import { chooseCredentialStore } from '../services/credentials/chooseCredentialStore.js';
import type { CredentialStore } from '../services/credentials/credentialStore.js';
import { createEventHub } from '../services/events/eventHub.js';
import { createImportWorkerPool } from '../services/import/importWorkerPool.js';
import { openLocalStore } from '../services/store/openLocalStore.js';
import { startBrowserHost } from './browserHost.js';

export interface StudioOptions {
  readonly dataDir: string;
  readonly rendererDir: string;
  /** The development CA of a local Weebum Cloud, trusted for every server; else the system's. */
  readonly trustedCaFile?: string;
  readonly port?: number;
  /** Tests pass a memory store; the app probes the OS keychain. */
  readonly credentials?: CredentialStore;
  readonly log: (message: string, error?: unknown) => void;
  /** The IPAex fonts the PDF export embeds; default assets/fonts under the working directory. */
  readonly fontsDir?: string;
}

/**
 * Weebum Studio's Node side behind the browser host: the composition root that opens the store,
 * picks the credential store, and wires the desktop API to its transport.
 */
export async function runStudio(options: StudioOptions) {
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
  const workers = createImportWorkerPool();
  let token = '';
  const core = createDesktopCore({
    store,
    credentials,
    events,
    workers,
    thumbnailsDir: thumbnailsDirIn(options.dataDir),
    trustedCa: () => ca,
    thumbnailUrl: (photoId) => `/thumbnails/${photoId}?token=${token}`,
    now: () => new Date(),
    log: options.log,
    fontsDir: options.fontsDir ?? join(process.cwd(), 'assets', 'fonts'),
  });
  const host = await startBrowserHost({
    rendererDir: options.rendererDir,
    handlers: core.handlers,
    events,
    thumbnailFile: core.thumbnailFile,
    port: options.port ?? 0,
    log: options.log,
  });
  token = new URL(host.url).searchParams.get('token') ?? '';
  return {
    url: host.url,
    credentials,
    async close() {
      await host.close();
      await core.close();
      await workers.close();
      store.close();
    },
  };
}
