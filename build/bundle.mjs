// Bundles the Node programs with esbuild (see docs/decisions.md #2). Packages stay external:
// native modules (better-sqlite3, keytar, argon2, sharp) and electron must load from
// node_modules (in a package: app.asar, with the native ones unpacked).
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Data files read at run time next to the code that reads them (`new URL(file, import.meta.url)`). */
const serverDataFiles = ['src-server/auth/common-passwords.txt'];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await rm(`${root}/dist/server`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { 'weebum-server': 'src-server/bin.ts' },
  outdir: 'dist/server',
  outExtension: { '.js': '.mjs' },
});
await mkdir(`${root}/dist/server`, { recursive: true });
for (const file of serverDataFiles) {
  await cp(`${root}/${file}`, `${root}/dist/server/${file.split('/').pop()}`);
}
console.log('bundled dist/server/weebum-server.mjs');

// Weebum Studio's Electron side: main (ESM, package.json "main"), the import worker thread
// (its own entry: a worker loads a file, not a function) and the preload. A sandboxed preload
// is one CommonJS file that may require only `electron`, so it bundles its imports.
await rm(`${root}/dist/main`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: {
    'electron-main': 'src-main/electron/main.ts',
    'import-worker': 'src-main/services/import/importWorker.ts',
  },
  outdir: 'dist/main',
});
await build({
  ...common,
  entryPoints: { preload: 'src-main/electron/preload.ts' },
  outdir: 'dist/main',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  platform: 'browser',
  target: 'chrome140',
  packages: undefined,
  external: ['electron'],
  minify: true,
});
console.log(
  'bundled dist/main/electron-main.js, dist/main/import-worker.js, dist/main/preload.cjs',
);
