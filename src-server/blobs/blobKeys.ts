import type { PhotoVariant } from '../../src-shared/cloud/photos.js';

/**
 * Object keys are built here from ids the server issued, never from client input (P3): a key
 * cannot name another tenant's object or climb out of its prefix.
 */
export type BlobKey = string & { readonly __brand: 'BlobKey' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function id(value: string, what: string): string {
  if (!UUID.test(value)) throw new Error(`${what} must be a lower-case UUID`);
  return value;
}

export const tenantPrefix = (tenantId: string): BlobKey =>
  `tenants/${id(tenantId, 'tenant id')}/` as BlobKey;

export const albumPrefix = (tenantId: string, albumId: string): BlobKey =>
  `${tenantPrefix(tenantId)}albums/${id(albumId, 'album id')}/` as BlobKey;

export const photoKey = (
  tenantId: string,
  albumId: string,
  photoId: string,
  variant: PhotoVariant,
): BlobKey =>
  `${albumPrefix(tenantId, albumId)}photos/${id(photoId, 'photo id')}/${variant}` as BlobKey;

/** Database backups (P10): outside every tenant's prefix, so a tenant purge never reaches them. */
export const BACKUPS_PREFIX = 'backups/' as BlobKey;

export const backupKey = (backupId: string): BlobKey =>
  `${BACKUPS_PREFIX}${id(backupId, 'backup id')}` as BlobKey;

/** For stores that map keys to paths: only the shapes made above are valid keys. */
const U = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const WELL_FORMED = new RegExp(
  `^(tenants/${U}(/albums/${U}(/photos/${U}/(original|preview|thumbnail))?)?|backups(/${U})?)/?$`,
);

/** For stores that map keys to paths: only the shapes made above (or their prefixes) are valid. */
export function isWellFormedKey(key: string): key is BlobKey {
  return WELL_FORMED.test(key);
}
