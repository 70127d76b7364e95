// `npm start`: Weebum Studio with a local Weebum Cloud, on this machine only.
// 1. builds the renderer; 2. on the first run, creates the cloud's operator account and prints
// its temporary password once; 3. starts Weebum Cloud (embedded PGlite, local CA in
// ./.weebum/cloud); 4. starts Weebum Studio's Node side behind the browser host (data in
// ./.weebum/studio) and prints the address to open. The Electron window comes with issue 7.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const cloudDir = process.env.WEEBUM_DATA_DIR ?? `${root}.weebum/cloud`;
const studioDir = process.env.WEEBUM_STUDIO_DATA_DIR ?? `${root}.weebum/studio`;
const env = { ...process.env, WEEBUM_DATA_DIR: cloudDir };
const children = [];

const tsx = (entry, args, extraEnv = {}) =>
  spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

/** Runs to the end; resolves with its stdout. */
const run = (entry, args) =>
  new Promise((resolve) => {
    const child = tsx(entry, args);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });

/** Starts a long-running child and resolves with the first stdout line matching `pattern`. */
const startUntil = (entry, args, pattern, extraEnv) =>
  new Promise((resolve, reject) => {
    const child = tsx(entry, args, extraEnv);
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
      const match = pattern.exec(out);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`${entry} exited with code ${code}`)));
  });

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });
  const boot = await run('src-server/bin.ts', ['bootstrap', '--json']);
  if (boot.code === 0) {
    const { loginId, temporaryPassword } = JSON.parse(boot.out);
    console.log(
      `First run: operator login id "${loginId}", temporary password ${temporaryPassword}`,
    );
    console.log('(shown once; you will be asked to change it when you sign in)');
  }
  const [, cloudUrl, caFile] = await startUntil(
    'src-server/bin.ts',
    ['serve'],
    /listening on (https:\/\/\S+) \(trust CA: ([^)]+)\)/,
  );
  const [, studioUrl] = await startUntil('src-main/host/main.ts', [], /running at (\S+)/, {
    WEEBUM_STUDIO_DATA_DIR: studioDir,
    WEEBUM_TRUSTED_CA: caFile,
    WEEBUM_STUDIO_PORT: process.env.WEEBUM_STUDIO_PORT ?? '5173',
  });
  console.log(`\nOpen ${studioUrl} and sign in to ${cloudUrl}. Ctrl-C stops both.`);
} catch (error) {
  console.error(`npm start failed: ${error.message}`);
  stop();
  process.exitCode = 1;
}
