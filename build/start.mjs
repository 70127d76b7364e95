// `npm start`: runs what exists of Weebum on its embedded default, on this machine only.
// Today: Weebum Cloud (embedded PGlite, local CA under ./.weebum/cloud) and the renderer served
// for a browser. The desktop services, browser host and Electron shell arrive with issues 5-7.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = {
  ...process.env,
  WEEBUM_DATA_DIR: process.env.WEEBUM_DATA_DIR ?? `${root}.weebum/cloud`,
};

await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });

const cloud = spawn(process.execPath, ['--import', 'tsx', 'src-server/bin.ts', 'serve'], {
  cwd: root,
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});

const server = await preview({
  configFile: `${root}vite.config.ts`,
  preview: {
    host: '127.0.0.1',
    port: Number(process.env.WEEBUM_UI_PORT ?? 5173),
    strictPort: false,
  },
  logLevel: 'warn',
});
const uiUrl = server.resolvedUrls?.local[0] ?? '(unknown)';
console.log(`Weebum Studio UI (renderer shell only, in a browser): ${uiUrl}`);
console.log('Not built yet: the desktop services, the browser host and the Electron window.');

let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  cloud.kill('SIGTERM');
  await server.close();
  process.exitCode = code;
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
cloud.on('exit', (code) => {
  if (!stopping) {
    console.error(`Weebum Cloud exited (code ${code}); stopping.`);
    void stop(code ?? 1);
  }
});
