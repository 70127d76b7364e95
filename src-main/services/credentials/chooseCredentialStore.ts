import { randomBytes } from 'node:crypto';
import { KEYCHAIN_SERVICE, type CredentialStore } from './credentialStore.js';
import { createKeytarCredentialStore, type KeytarApi } from './keytarCredentialStore.js';
import { createMemoryCredentialStore } from './memoryCredentialStore.js';

export interface ChooseCredentialStoreOptions {
  /** Loads keytar; a failure (native module missing) counts as no keychain. */
  readonly loadKeytar?: () => Promise<KeytarApi>;
  /** A probe still running after this is treated as no keychain (an unanswered unlock prompt). */
  readonly probeTimeoutMs?: number;
}

const PROBE_ACCOUNT = '__weebum_probe__';

const NO_KEYCHAIN_MESSAGE =
  'No system keychain is available (Secret Service), so your sign-in cannot be remembered: you will have to sign in again next time. / システムのキーチェーン（Secret Service）が利用できないため、サインイン情報を保存できません。次回起動時に再度サインインしてください。';

export const loadKeytar = async (): Promise<KeytarApi> => {
  const module = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  return module.default ?? module;
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error as Error)),
    );
  });

/**
 * Writes, reads back and deletes a throw-away item. A read alone is not enough: with D-Bus up
 * but no unlocked collection, gnome-keyring answers a get (null) and refuses every set.
 */
async function probe(keytar: KeytarApi): Promise<void> {
  const marker = randomBytes(8).toString('hex');
  await keytar.setPassword(KEYCHAIN_SERVICE, PROBE_ACCOUNT, marker);
  const read = await keytar.getPassword(KEYCHAIN_SERVICE, PROBE_ACCOUNT);
  await keytar.deletePassword(KEYCHAIN_SERVICE, PROBE_ACCOUNT);
  if (read !== marker) throw new Error('the keychain did not return what was stored');
}

/**
 * Probes the OS keychain once and returns the keytar store, or a memory-only store whose
 * `availability` says why nothing will persist. Call it once at start-up (or first sign-in).
 */
export async function chooseCredentialStore(
  options: ChooseCredentialStoreOptions = {},
): Promise<CredentialStore> {
  const timeoutMs = options.probeTimeoutMs ?? 30_000;
  try {
    const keytar = await (options.loadKeytar ?? loadKeytar)();
    await withTimeout(probe(keytar), timeoutMs);
    return createKeytarCredentialStore(keytar);
  } catch (error) {
    return createMemoryCredentialStore({
      persistent: false,
      reason: 'no_keychain',
      message: NO_KEYCHAIN_MESSAGE,
      detail: error instanceof Error ? error.message : String(error),
    });
  }
}
