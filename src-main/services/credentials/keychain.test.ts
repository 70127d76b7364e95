import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The keytar store against a real Secret Service: gnome-keyring inside its own
 * dbus-run-session, with a fresh HOME, so the suite itself needs no D-Bus. Missing tools are a
 * failure, not a skip (.ci/run installs gnome-keyring, dbus, dbus-x11 and libsecret).
 */
const scenario = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'testing',
  'keychainScenario.ts',
);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface ScenarioOutput {
  phase: string;
  availability: { persistent: boolean; reason?: string; detail?: string; message?: string };
  [key: string]: unknown;
}

/** A clean environment: no inherited session bus or display. */
function baseEnv(home: string): NodeJS.ProcessEnv {
  const {
    DBUS_SESSION_BUS_ADDRESS: _bus,
    DISPLAY: _display,
    WAYLAND_DISPLAY: _w,
    ...rest
  } = process.env;
  return { ...rest, HOME: home, XDG_RUNTIME_DIR: path.join(home, 'run') };
}

function freshHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'weebum-keychain-'));
  fs.mkdirSync(path.join(home, 'run'), { mode: 0o700 });
  return home;
}

const parse = (stdout: string): ScenarioOutput[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ScenarioOutput);

/** Runs scenario phases in one D-Bus session with an unlocked gnome-keyring. */
function inKeyringSession(home: string, phases: string[]): ScenarioOutput[] {
  const script = [
    'printf pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 90',
    ...phases.map((p) => `"$NODE" --import tsx "$SCENARIO" ${p} || exit 91`),
  ].join('\n');
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
    cwd: repoRoot,
    env: { ...baseEnv(home), NODE: process.execPath, SCENARIO: scenario },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) {
    throw new Error(`keyring session failed (${run.status}): ${run.stderr}\n${run.stdout}`);
  }
  return parse(run.stdout);
}

describe('the OS keychain through keytar (real gnome-keyring)', () => {
  beforeAll(() => {
    for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
      try {
        execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
      } catch {
        throw new Error(
          `${tool} is missing: install gnome-keyring, dbus, dbus-x11 and libsecret-1-0 (see .ci/run)`,
        );
      }
    }
  });

  it('stores the refresh token under Weebum Studio / <server>|<loginId>, persisted on disk', () => {
    const home = freshHome();
    const [write] = inKeyringSession(home, ['write']);
    expect(write?.availability).toEqual({ persistent: true, backend: 'keytar' });
    // The keyring file exists in the fresh HOME: gnome-keyring wrote it to disk.
    expect(fs.existsSync(path.join(home, '.local/share/keyrings/login.keyring'))).toBe(true);

    // A new D-Bus session and keyring daemon, same HOME: the tokens come back from disk.
    const [read, removed] = inKeyringSession(home, ['read', 'delete']);
    expect(read).toMatchObject({
      designer: 'refresh-designer-rotated',
      staff: 'refresh-staff',
      // Read straight from the Secret Service: the exact names, and no probe item left over.
      raw: [
        'https://cloud.example.test|designer@example.test=refresh-designer-rotated',
        'https://cloud.example.test|staff@example.test=refresh-staff',
      ],
    });
    expect(removed).toMatchObject({
      deleted: true,
      deletedAgain: false,
      designer: null,
      staff: 'refresh-staff',
    });
  }, 120_000);

  it('without a D-Bus session, falls back to memory and says why', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', scenario, 'probe'], {
      cwd: repoRoot,
      env: baseEnv(freshHome()),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const [probe] = parse(run.stdout);
    expect(probe?.availability).toMatchObject({ persistent: false, reason: 'no_keychain' });
    expect(probe?.availability.detail).toMatch(/D-Bus/);
    expect(probe?.availability.message).toMatch(/sign in again.*キーチェーン/s);
  }, 60_000);

  it('with D-Bus but no unlocked keyring (reads answer, writes fail), falls back too', () => {
    const run = spawnSync(
      'dbus-run-session',
      ['--', process.execPath, '--import', 'tsx', scenario, 'probe'],
      { cwd: repoRoot, env: baseEnv(freshHome()), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const [probe] = parse(run.stdout);
    expect(probe?.availability).toMatchObject({ persistent: false, reason: 'no_keychain' });
  }, 60_000);
});
