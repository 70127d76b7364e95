import { join } from 'node:path';
import {
  keyringFrom,
  loadOrCreateKeyringFile,
  parseKeyring,
  type Keyring,
  type KeyringFile,
} from '../crypto/keyring.js';

/** Production: the keyring JSON (see crypto/keyring.ts) from a secret store, in this variable. */
export const KEYRING_ENV = 'WEEBUM_KEYRING';

export const keyringFilePath = (dataDir: string): string => join(dataDir, 'keys', 'keyring.json');

export type KeyringSource =
  | { readonly kind: 'env' }
  | { readonly kind: 'file'; readonly path: string; readonly file: KeyringFile };

/**
 * The environment's keyring if set (production), else the development key file in the data
 * directory, created (mode 0600) on first use. A bad value stops the start with a message that
 * names the variable or file, never the key material.
 */
export async function loadKeyring(
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
  now: Date,
): Promise<{ keyring: Keyring; source: KeyringSource }> {
  const fromEnv = env[KEYRING_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { keyring: parseKeyring(fromEnv, KEYRING_ENV), source: { kind: 'env' } };
  }
  const path = keyringFilePath(dataDir);
  const file = await loadOrCreateKeyringFile(path, now);
  return { keyring: keyringFrom(file), source: { kind: 'file', path, file } };
}
