import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeCloudProcess, startCloudProcess } from '../src-main/testing/cloudProcess.js';
import { STACK_FILE, type E2eStack } from './stack.js';

/** The studio host's port: playwright.config.ts points `baseURL` at it. */
export const studioPort = (): number => Number(process.env['E2E_PORT'] ?? 4179);

/** Starts `src-main/host/main.ts` and resolves with the URL it prints. */
export function startStudio(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/host/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`Weebum Studio did not start:\n${stderr}`)),
      90_000,
    );
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const ready = /Weebum Studio is running at (\S+)/.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, url: ready[1] as string });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Weebum Studio exited (${code}):\n${stderr}`));
    });
  });
}

/**
 * The real stack for the end-to-end tests: a Weebum Cloud (bootstrapped, embedded PGlite, its
 * own CA, temporary data directory) and Weebum Studio's browser host trusting that CA, with a
 * temporary data directory, serving the built renderer (dist/renderer) on a fixed port.
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await access(join('dist', 'renderer', 'index.html')).catch(() => {
    throw new Error('dist/renderer is not built: run `npx vite build` (npm test builds it first)');
  });
  // Every test signs in from loopback: the per-address sign-in limit (20 a minute, tested in
  // src-server) is raised so that a fast run is not refused; the per-account lock still holds.
  const cloud = await startCloudProcess({ env: { WEEBUM_RATE_LIMIT_STRICT_MAX: '1000' } });
  const studioDir = await mkdtemp(join(tmpdir(), 'weebum-e2e-studio-'));
  const caFile = join(studioDir, 'cloud-ca.pem');
  await writeFile(caFile, cloud.ca);
  let studio: { child: ChildProcess; url: string };
  try {
    studio = await startStudio({
      ...process.env,
      WEEBUM_STUDIO_DATA_DIR: join(studioDir, 'data'),
      WEEBUM_TRUSTED_CA: caFile,
      WEEBUM_STUDIO_PORT: String(studioPort()),
    });
  } catch (error) {
    await disposeCloudProcess(cloud);
    throw error;
  }
  const stack: E2eStack = {
    studioUrl: studio.url,
    cloudUrl: cloud.url,
    caPem: cloud.ca.toString('utf8'),
    operator: cloud.operator,
  };
  await mkdir('test-results', { recursive: true });
  await writeFile(STACK_FILE, JSON.stringify(stack, null, 2), { mode: 0o600 });

  return async () => {
    if (studio.child.exitCode === null) {
      const exited = new Promise((resolve) => studio.child.once('exit', resolve));
      studio.child.kill('SIGTERM');
      await exited;
    }
    await disposeCloudProcess(cloud);
    await rm(studioDir, { recursive: true, force: true });
    await rm(STACK_FILE, { force: true });
  };
}
