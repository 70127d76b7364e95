// Bundles the Node programs with esbuild (see docs/decisions.md #2). Packages stay external:
// native modules (better-sqlite3, keytar, argon2) and electron must load from node_modules.
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
