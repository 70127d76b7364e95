import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobsConfig } from '../config.js';
import type { Keyring } from '../crypto/keyring.js';
import type { BlobStore } from './blobStore.js';
import { createLocalBlobStore, plainObjectsAt, type LocalBlobStore } from './localBlobStore.js';
import { createS3BlobStore, createS3Client } from './s3BlobStore.js';

export interface OpenedBlobStore {
  readonly store: BlobStore;
  /** Set for the local store: its signed URLs are served by our own routes. */
  readonly local: LocalBlobStore | undefined;
  readonly close: () => void;
}

const SECRET_BYTES = 32;

/**
 * The local store's URL-signing key, `<dataDir>/blobs/secret` (mode 0600), made on first start.
 * `wx` makes two processes starting together agree on one key.
 */
async function localSecret(root: string): Promise<Buffer> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const path = join(root, 'secret');
  try {
    await writeFile(path, randomBytes(SECRET_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
  await chmod(path, 0o600);
  const secret = await readFile(path);
  if (secret.length !== SECRET_BYTES) throw new Error(`${path} must hold ${SECRET_BYTES} bytes`);
  return secret;
}

/**
 * S3 when a bucket is configured (credentials from the AWS SDK's usual sources; server-side
 * encryption on every write), else local disk in `<dataDir>/blobs`, encrypted with keys from
 * `keyring`, with URLs pointing at `baseUrl()`, our own server.
 */
export async function openBlobStore(
  config: { dataDir: string; blobs: BlobsConfig },
  baseUrl: () => string,
  keyring: Keyring,
): Promise<OpenedBlobStore> {
  const s3 = config.blobs.s3;
  if (s3 !== undefined) {
    const client = createS3Client({
      ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
      region: s3.region,
      bucket: s3.bucket,
      forcePathStyle: s3.forcePathStyle,
    });
    return {
      store: createS3BlobStore(client, s3.bucket, { kmsKeyId: s3.kmsKeyId }),
      local: undefined,
      close: () => client.destroy(),
    };
  }
  const root = join(config.dataDir, 'blobs');
  const local = createLocalBlobStore({
    root,
    secret: await localSecret(root),
    baseUrl,
    keyring,
    plainObjects: await plainObjectsAt(root),
  });
  return { store: local.store, local, close: () => undefined };
}
