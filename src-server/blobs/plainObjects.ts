import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether a local store serves plain objects written before encryption, or refuses them. */
export type PlainObjects = 'read' | 'refuse';

/** In the store's root once every object is encrypted: plain files are refused from then on. */
export const ENCRYPTED_ONLY_MARKER = 'encrypted-only';

/**
 * Whether a store at `root` may hold plain objects from before encryption. A new store (no
 * objects yet) is marked encrypted-only at once; an older one stays readable until `reencrypt`
 * has sealed every object.
 */
export async function plainObjectsAt(root: string): Promise<PlainObjects> {
  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  if (await exists(join(root, ENCRYPTED_ONLY_MARKER))) return 'refuse';
  if (await exists(join(root, 'objects'))) return 'read';
  await mkdir(root, { recursive: true, mode: 0o700 });
  await writeFile(join(root, ENCRYPTED_ONLY_MARKER), '', { mode: 0o600 });
  return 'refuse';
}
