import { resolve } from 'node:path';
import { runStudio } from './runStudio.js';

/**
 * `node --import tsx src-main/host/main.ts`: Weebum Studio in a browser (development and
 * end-to-end tests). Prints one line with the URL to open (it carries the access token).
 */
const env = process.env;
const studio = await runStudio({
  dataDir: resolve(env['WEEBUM_STUDIO_DATA_DIR'] ?? '.weebum/studio'),
  rendererDir: resolve(env['WEEBUM_RENDERER_DIR'] ?? 'dist/renderer'),
  ...(env['WEEBUM_TRUSTED_CA'] ? { trustedCaFile: resolve(env['WEEBUM_TRUSTED_CA']) } : {}),
  port: Number(env['WEEBUM_STUDIO_PORT'] ?? 0),
  // End-to-end tests that need sync to run only after local changes set a long one.
  ...(env['WEEBUM_SYNC_INTERVAL_MS']
    ? { syncIntervalMs: Number(env['WEEBUM_SYNC_INTERVAL_MS']) }
    : {}),
  log: (message, error) => console.error(message, error instanceof Error ? error.message : ''),
});
if (!studio.credentials.availability.persistent) {
  console.error(studio.credentials.availability.message);
}
console.log(`Weebum Studio is running at ${studio.url}`);
const stop = () => {
  void studio.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
