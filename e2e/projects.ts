import type { findElectronBinary } from '../build/electronBinary.mjs';

/**
 * The Playwright projects: `chromium` (every *.e2e.ts, through the browser host) and `electron`
 * (the real-Electron smoke test) only where Electron's binary exists. Whether the smoke test
 * could run, and why not, goes into the report's metadata: CI's closing summary
 * (.ci/summarize-tests.mjs) reads it there and says NOT RUN.
 */
export function playwrightProjects(binary: ReturnType<typeof findElectronBinary>) {
  return {
    projects: [
      { name: 'chromium', testMatch: '**/*.e2e.ts' },
      ...(binary.path === null ? [] : [{ name: 'electron', testMatch: '**/*.electron.ts' }]),
    ],
    metadata: {
      electronSmoke: binary.path === null ? { run: false, reason: binary.reason } : { run: true },
    },
  };
}
