// Where Electron's binary is, or why there is none: `npm start` and the Playwright config
// both ask (the binary cannot be downloaded on every machine: ELECTRON_SKIP_BINARY_DOWNLOAD).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const electronDir = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));

/** @returns {{ path: string } | { path: null, reason: string }} */
export function findElectronBinary() {
  const pathFile = `${electronDir}path.txt`;
  if (!existsSync(electronDir))
    return { path: null, reason: 'the electron package is not installed' };
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason: 'its binary was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD or no network',
    };
  }
  const path = `${electronDir}dist/${readFileSync(pathFile, 'utf8').trim()}`;
  return existsSync(path) ? { path } : { path: null, reason: `${path} is missing` };
}
