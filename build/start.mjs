// `npm start`: Weebum Studio with a local Weebum Cloud, on this machine only. Everything it
// keeps is under one data directory, ./.weebum (WEEBUM_HOME moves it): cloud/ and studio/.
// 1. builds the renderer (and the Electron bundle when Electron's binary is there);
// 2. starts Weebum Cloud (embedded PGlite, local CA in .weebum/cloud; WEEBUM_PORT, default 8443);
// 3. on the first run, bootstraps the operator and seeds a demo (src-main/demo/seedDemo.ts),
//    printing the demo accounts' passwords once;
// 4. starts Weebum Studio: the Electron app when its binary exists, else the browser host
//    (WEEBUM_STUDIO_PORT, default 5173), printing the address to open.
// Ctrl-C stops the studio first (it may be saving), then the cloud.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { findElectronBinary } from './electronBinary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const home = process.env.WEEBUM_HOME ?? `${root}.weebum`;
const cloudDir = process.env.WEEBUM_DATA_DIR ?? `${home}/cloud`;
const studioDir = process.env.WEEBUM_STUDIO_DATA_DIR ?? `${home}/studio`;
const env = { ...process.env, WEEBUM_DATA_DIR: cloudDir };
/** Long-running children, in start order; stopped in reverse. */
const children = [];

// Detached: Ctrl-C reaches only this process, which then stops the children in order.
const spawnChild = (command, args, extraEnv = {}) =>
  spawn(command, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
const tsx = (entry, args, extraEnv) =>
  spawnChild(process.execPath, ['--import', 'tsx', entry, ...args], extraEnv);

/** Runs to the end; resolves with its exit code and stdout. */
const run = (entry, args, extraEnv) =>
  new Promise((resolve) => {
    const child = tsx(entry, args, extraEnv);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });

/** Starts a long-running child and resolves with the first stdout line matching `pattern`. */
const startUntil = (child, name, pattern) =>
  new Promise((resolve, reject) => {
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
      const match = pattern.exec(out);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`${name} exited with code ${code}`)));
  });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
const stopAndExit = () => {
  console.log('\nStopping Weebum Studio and Weebum Cloud…');
  void stop().then(() => {
    console.log('Stopped.');
    process.exit(0);
  });
};
process.on('SIGINT', stopAndExit);
process.on('SIGTERM', stopAndExit);

function printDemo(seed) {
  console.log(`\nDemo created (album "${seed.albumTitle}"). Passwords are shown this once:`);
  for (const account of seed.accounts) {
    const kind = account.temporary ? 'temporary password' : 'password';
    console.log(
      `  ${account.role.padEnd(13)} login id ${account.loginId.padEnd(13)} ${kind} ${account.password}`,
    );
  }
  console.log('(a temporary password must be changed at the first sign-in)\n');
}

try {
  const electron = findElectronBinary();
  // The end-to-end test of `npm start` runs after `npm run build` and skips rebuilding.
  if (process.env.WEEBUM_START_SKIP_BUILD !== '1') {
    await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });
    if (electron.path) await import('./bundle.mjs');
  }
  const boot = await run('src-server/bin.ts', ['bootstrap', '--json']);
  const [, cloudUrl, caFile] = await startUntil(
    tsx('src-server/bin.ts', ['serve']),
    'Weebum Cloud',
    /listening on (https:\/\/\S+) \(trust CA: ([^)]+)\)/,
  );
  if (boot.code === 0) {
    const operator = JSON.parse(boot.out);
    const seeded = await run('src-main/demo/seedDemoMain.ts', [], {
      WEEBUM_DEMO_SERVER_URL: cloudUrl,
      WEEBUM_DEMO_CA_FILE: caFile,
      WEEBUM_DEMO_OPERATOR_LOGIN_ID: operator.loginId,
      WEEBUM_DEMO_OPERATOR_PASSWORD: operator.temporaryPassword,
    });
    if (seeded.code !== 0) {
      // The operator's temporary password is still valid: nothing else has used it.
      console.log(
        `The demo could not be created; operator login id "${operator.loginId}", temporary password ${operator.temporaryPassword} (shown once)`,
      );
    } else {
      printDemo(JSON.parse(seeded.out));
    }
  }
  const studioEnv = { WEEBUM_STUDIO_DATA_DIR: studioDir, WEEBUM_TRUSTED_CA: caFile };
  // WEEBUM_START_BROWSER=1 keeps the browser host even with Electron (the end-to-end test).
  if (electron.path && process.env.WEEBUM_START_BROWSER !== '1') {
    children.push(spawnChild(electron.path, [root], studioEnv));
    console.log(`Weebum Studio (Electron) started. Sign in to ${cloudUrl}. Ctrl-C stops both.`);
  } else {
    console.log(`Electron is not available (${electron.reason}); using the browser host instead.`);
    const [, studioUrl] = await startUntil(
      tsx('src-main/host/main.ts', [], {
        ...studioEnv,
        WEEBUM_STUDIO_PORT: process.env.WEEBUM_STUDIO_PORT ?? '5173',
      }),
      'Weebum Studio',
      /running at (\S+)/,
    );
    console.log(`\nOpen ${studioUrl} and sign in to ${cloudUrl}. Ctrl-C stops both.`);
  }
} catch (error) {
  console.error(`npm start failed: ${error.message}`);
  await stop();
  process.exitCode = 1;
}
