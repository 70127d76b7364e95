import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryCredentialStore } from '../services/credentials/memoryCredentialStore.js';
import type { CredentialStore } from '../services/credentials/credentialStore.js';
import { setUpStudio, type StudioFixture } from './cloudFixture.js';
import { disposeCloudProcess, startCloudProcess, type CloudProcess } from './cloudProcess.js';

interface Closeable {
  close(): unknown;
}

/**
 * One real Weebum Cloud with a studio's accounts (cloudFixture.ts), a temporary root holding the
 * cloud's CA as `ca.pem`, and the desktop cores a test opens against them, closed together:
 * the setup of every test of several desktop cores sharing one cloud.
 */
export interface SharedCloud {
  readonly cloud: CloudProcess;
  readonly fixture: StudioFixture;
  /** A fresh temporary directory, removed on close. */
  readonly root: string;
  /** The cloud's development CA, for `trustedCaFile`. */
  readonly caFile: string;
  /** Closes `thing` on close, before the cloud, in the order things were opened. */
  track<T extends Closeable>(thing: T): T;
  /** Forgets a thing the test closed itself. */
  untrack(thing: Closeable): void;
  close(): Promise<void>;
}

export async function openSharedCloud(options: {
  /** Names the temporary root (`weebum-<prefix>-...`). */
  readonly prefix: string;
  readonly designers: readonly string[];
}): Promise<SharedCloud> {
  const root = await mkdtemp(join(tmpdir(), `weebum-${options.prefix}-`));
  let cloud: CloudProcess | undefined;
  try {
    cloud = await startCloudProcess();
    const caFile = join(root, 'ca.pem');
    await writeFile(caFile, cloud.ca);
    const fixture = await setUpStudio(cloud, { designers: options.designers });
    const opened: Closeable[] = [];
    const started = cloud;
    return {
      cloud,
      fixture,
      root,
      caFile,
      track(thing) {
        opened.push(thing);
        return thing;
      },
      untrack(thing) {
        const at = opened.indexOf(thing);
        if (at >= 0) opened.splice(at, 1);
      },
      async close() {
        for (const thing of opened.splice(0)) await thing.close();
        fixture.close();
        await disposeCloudProcess(started);
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (cloud) await disposeCloudProcess(cloud);
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** A credential store in memory that says it is not persistent: the keychain has its own tests. */
export const testCredentials = (): CredentialStore =>
  createMemoryCredentialStore({
    persistent: false,
    reason: 'no_keychain',
    message: 'test',
    detail: 'test',
  });
