import { join } from 'node:path';
import type { CredentialStore } from '../services/credentials/credentialStore.js';
import { openStudioCore } from '../services/core/openStudioCore.js';
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
  /** How often sync runs besides after local changes; default the engine's. */
  readonly syncIntervalMs?: number;
}

/**
 * Weebum Studio's Node side behind the browser host: the composition root that opens the
 * studio core and wires the desktop API to its transport.
 */
export async function runStudio(options: StudioOptions) {
  let token = '';
  const studio = await openStudioCore({
    dataDir: options.dataDir,
    ...(options.trustedCaFile ? { trustedCaFile: options.trustedCaFile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    thumbnailUrl: (photoId) => `/thumbnails/${photoId}?token=${token}`,
    log: options.log,
    fontsDir: options.fontsDir ?? join(process.cwd(), 'assets', 'fonts'),
    ...(options.syncIntervalMs ? { syncIntervalMs: options.syncIntervalMs } : {}),
  });
  const host = await startBrowserHost({
    rendererDir: options.rendererDir,
    handlers: studio.core.handlers,
    events: studio.events,
    thumbnailFile: (photoId) => studio.core.thumbnailFile(photoId),
    port: options.port ?? 0,
    log: options.log,
  }).catch(async (error: unknown) => {
    await studio.close();
    throw error;
  });
  token = new URL(host.url).searchParams.get('token') ?? '';
  return {
    url: host.url,
    credentials: studio.credentials,
    async close() {
      await host.close();
      await studio.close();
    },
  };
}
