import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Keys for personal data (P8). Data keys encrypt columns (AES-256-GCM); the newest encrypts, all
 * still decrypt, so rotation is: add a key, make it current, re-encrypt (`keys rotate`).
 * The index key makes keyed hashes for look-ups (login id, e-mail); it is not rotated with the
 * data keys, because changing it means recomputing every index at once.
 */
export interface Keyring {
  readonly currentKeyId: string;
  dataKey(id: string): Buffer | undefined;
  readonly indexKey: Buffer;
  readonly keyIds: readonly string[];
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const base64Key = z
  .string()
  .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64');

export const KeyringFileSchema = z.strictObject({
  current: z.string().regex(KEY_ID),
  dataKeys: z.record(z.string().regex(KEY_ID), base64Key),
  indexKey: base64Key,
});
export type KeyringFile = z.infer<typeof KeyringFileSchema>;

export function keyringFrom(file: KeyringFile): Keyring {
  const keys = new Map(
    Object.entries(file.dataKeys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]),
  );
  if (!keys.has(file.current)) {
    throw new Error(`keyring: current key "${file.current}" is not among the data keys`);
  }
  return {
    currentKeyId: file.current,
    dataKey: (id) => keys.get(id),
    indexKey: Buffer.from(file.indexKey, 'base64'),
    keyIds: [...keys.keys()],
  };
}

export function parseKeyring(json: string, source: string): Keyring {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${source}: keyring is not valid JSON`);
  }
  const parsed = KeyringFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  return keyringFrom(parsed.data);
}

export const newKeyId = (now: Date): string =>
  `k${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;

/** A fresh keyring file with one data key and an index key. */
export function generateKeyringFile(now: Date): KeyringFile {
  const id = newKeyId(now);
  return {
    current: id,
    dataKeys: { [id]: randomBytes(32).toString('base64') },
    indexKey: randomBytes(32).toString('base64'),
  };
}

/** Adds a new current data key to a keyring file (old keys stay for decryption). */
export function addDataKey(file: KeyringFile, now: Date): KeyringFile {
  let id = newKeyId(now);
  for (let n = 2; id in file.dataKeys; n++) id = `${newKeyId(now)}_${n}`;
  return {
    ...file,
    current: id,
    dataKeys: { ...file.dataKeys, [id]: randomBytes(32).toString('base64') },
  };
}

/**
 * Written to a temporary file and renamed over the old one: a crash mid-write must never leave a
 * truncated keyring, because without its keys the encrypted columns are lost.
 */
export async function writeKeyringFile(path: string, file: KeyringFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flush: true });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/**
 * Development default: a key file (mode 0600) in the data directory, created on first start.
 * Production passes the keyring through the environment or a KMS instead.
 */
export async function loadOrCreateKeyringFile(path: string, now: Date): Promise<KeyringFile> {
  try {
    const text = await readFile(path, 'utf8');
    parseKeyring(text, path);
    return KeyringFileSchema.parse(JSON.parse(text));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const file = generateKeyringFile(now);
  await writeKeyringFile(path, file);
  return file;
}
