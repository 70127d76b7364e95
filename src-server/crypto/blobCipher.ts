import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Blobs at rest on the local store (P8): AES-256-GCM in fixed-size chunks, so a range read
 * decrypts only the chunks it touches and a stream of any length is encrypted in bounded memory.
 * No byte leaves before its chunk is authenticated. Layout (docs/server.md, decision 20):
 *
 *   offset  bytes  field
 *   0       8      magic "WEEBUMBL"
 *   8       1      format version (1)
 *   9       1      key id length n (1-32)
 *   10      32     key id (ASCII, zero-padded): the keyring data key the blob key derives from
 *   42      8      nonce prefix, random per object write
 *   50      4      chunk size in plaintext bytes (u32 BE, 65536)
 *   54      8      plaintext length (u64 BE)
 *   62      2      reserved (zero)
 *   64      32     header MAC: HMAC-SHA256(mac key, bytes 0-63 | bound name)
 *   96      ...    chunk i: ciphertext (chunk size, the last one shorter) | 16-byte GCM tag
 *
 * Chunk i's nonce is the prefix followed by i (u32 BE); its additional data is bytes 0-53 of the
 * header, i, a final flag, and the name the blob is bound to (its object key). So a chunk moved
 * within or between objects, a dropped last chunk and a blob renamed to another key all fail.
 * The length is written after the last chunk (streams do not know it before), so it is kept out
 * of the chunks' additional data and authenticated by the header MAC instead.
 * Keys: HKDF-SHA256 of the keyring data key with the tenant of the object key (or `backups`),
 * so one tenant's blobs are under a key of their own.
 */
export const BLOB_MAGIC = Buffer.from('WEEBUMBL', 'latin1');
export const BLOB_FORMAT = 1;
export const BLOB_CHUNK_BYTES = 64 * 1024;
export const BLOB_TAG_BYTES = 16;
export const BLOB_HEADER_BYTES = 96;

const AT_VERSION = 8;
const AT_KEY_ID_LENGTH = 9;
const AT_KEY_ID = 10;
const KEY_ID_BYTES = 32;
const AT_NONCE_PREFIX = 42;
const NONCE_PREFIX_BYTES = 8;
const AT_CHUNK_BYTES = 50;
/** Where what is known only at the end begins: length, reserved bytes, MAC. */
export const BLOB_HEADER_TAIL_AT = 54;
const AT_MAC = 64;
/** A chunk index is a u32 in the nonce. */
const MAX_CHUNKS = 2 ** 32 - 1;
const SALT = Buffer.from('weebum blob v1', 'latin1');

export class BlobCipherError extends Error {
  override readonly name = 'BlobCipherError';
  constructor(
    readonly code: 'blob_corrupt' | 'blob_key_unknown' | 'blob_plain_refused',
    message: string,
  ) {
    super(message);
  }
}

export interface BlobHeader {
  readonly keyId: string;
  readonly chunkBytes: number;
  readonly plaintextBytes: number;
}

/** Bytes on disk of a blob of `plaintextBytes` (one empty final chunk for an empty blob). */
export function sealedBytes(plaintextBytes: number, chunkBytes = BLOB_CHUNK_BYTES): number {
  return (
    BLOB_HEADER_BYTES + plaintextBytes + chunkCount(plaintextBytes, chunkBytes) * BLOB_TAG_BYTES
  );
}

export const chunkCount = (plaintextBytes: number, chunkBytes: number): number =>
  Math.max(1, Math.ceil(plaintextBytes / chunkBytes));

/** Where chunk `index` starts in the file. */
export const chunkOffset = (index: number, chunkBytes: number): number =>
  BLOB_HEADER_BYTES + index * (chunkBytes + BLOB_TAG_BYTES);

/** `tenants/<id>/...` → that tenant; `backups/...` → the backups' own key. */
export function keyScopeOf(name: string): string {
  const tenant = /^tenants\/([0-9a-f-]{36})\//.exec(name);
  if (tenant) return `tenant/${tenant[1]}`;
  if (name.startsWith('backups/')) return 'backups';
  throw new BlobCipherError('blob_corrupt', 'a blob must belong to a tenant or the backups');
}

const nonceFor = (prefix: Buffer, index: number): Buffer => {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  return nonce;
};

/**
 * Blob keys for a keyring: per data key id and key scope, derived once and kept (a few tenants'
 * worth of 64 bytes).
 */
export function createBlobKeys(keyring: Keyring) {
  const cache = new Map<string, { enc: Buffer; mac: Buffer }>();
  return {
    get currentKeyId(): string {
      return keyring.currentKeyId;
    },
    forScope(keyId: string, scope: string): { enc: Buffer; mac: Buffer } {
      const id = `${keyId}\u0000${scope}`;
      const known = cache.get(id);
      if (known) return known;
      const master = keyring.dataKey(keyId);
      if (master === undefined) {
        throw new BlobCipherError(
          'blob_key_unknown',
          `the blob was encrypted with key "${keyId}", which is not in the keyring`,
        );
      }
      const derive = (use: string) =>
        Buffer.from(hkdfSync('sha256', master, SALT, `${use}\u0000${scope}`, 32));
      const keys = { enc: derive('enc'), mac: derive('mac') };
      cache.set(id, keys);
      return keys;
    },
  };
}
export type BlobKeys = ReturnType<typeof createBlobKeys>;

const headerMac = (macKey: Buffer, header: Buffer, boundTo: string): Buffer =>
  createHmac('sha256', macKey).update(header.subarray(0, AT_MAC)).update(boundTo, 'utf8').digest();

const chunkAad = (header: Buffer, index: number, final: boolean, boundTo: string): Buffer => {
  const name = Buffer.from(boundTo, 'utf8');
  const aad = Buffer.alloc(BLOB_HEADER_TAIL_AT + 5 + name.length);
  header.copy(aad, 0, 0, BLOB_HEADER_TAIL_AT);
  aad.writeUInt32BE(index, BLOB_HEADER_TAIL_AT);
  aad.writeUInt8(final ? 1 : 0, BLOB_HEADER_TAIL_AT + 4);
  name.copy(aad, BLOB_HEADER_TAIL_AT + 5);
  return aad;
};

/**
 * Seals one blob under the current key, bound to `boundTo` (its object key). `header` goes first
 * with a zero length and MAC; `finish(length)` gives the bytes that replace them from
 * BLOB_HEADER_TAIL_AT once the length is known.
 */
export function createBlobSealer(keys: BlobKeys, boundTo: string) {
  const keyId = keys.currentKeyId;
  const { enc, mac } = keys.forScope(keyId, keyScopeOf(boundTo));
  const header = Buffer.alloc(BLOB_HEADER_BYTES);
  BLOB_MAGIC.copy(header, 0);
  header.writeUInt8(BLOB_FORMAT, AT_VERSION);
  header.writeUInt8(keyId.length, AT_KEY_ID_LENGTH);
  header.write(keyId, AT_KEY_ID, KEY_ID_BYTES, 'latin1');
  const prefix = randomBytes(NONCE_PREFIX_BYTES);
  prefix.copy(header, AT_NONCE_PREFIX);
  header.writeUInt32BE(BLOB_CHUNK_BYTES, AT_CHUNK_BYTES);

  return {
    header: Buffer.from(header),
    chunkBytes: BLOB_CHUNK_BYTES,
    /** Ciphertext and tag of chunk `index` (at most chunkBytes of plaintext). */
    seal(plain: Buffer, index: number, final: boolean): Buffer[] {
      if (index >= MAX_CHUNKS) throw new Error('blob too large for one object');
      const cipher = createCipheriv('aes-256-gcm', enc, nonceFor(prefix, index), {
        authTagLength: BLOB_TAG_BYTES,
      });
      cipher.setAAD(chunkAad(header, index, final, boundTo));
      const body = cipher.update(plain);
      cipher.final();
      return [body, cipher.getAuthTag()];
    },
    finish(plaintextBytes: number): Buffer {
      header.writeBigUInt64BE(BigInt(plaintextBytes), BLOB_HEADER_TAIL_AT);
      headerMac(mac, header, boundTo).copy(header, AT_MAC);
      return header.subarray(BLOB_HEADER_TAIL_AT);
    },
  };
}
export type BlobSealer = ReturnType<typeof createBlobSealer>;

/** True when `start` (a file's first bytes) is an encrypted blob, false for a plain one. */
export const isSealedBlob = (start: Buffer): boolean =>
  start.length >= BLOB_MAGIC.length && start.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC);

/**
 * Checks a sealed blob's header against its name and the file's size, and returns what opens
 * its chunks. Throws BlobCipherError: a header that fails its MAC, a size that does not match
 * the length (truncated or padded), an unknown key.
 */
export function openBlobHeader(keys: BlobKeys, header: Buffer, boundTo: string, fileBytes: number) {
  const corrupt = (why: string) => new BlobCipherError('blob_corrupt', `blob ${boundTo}: ${why}`);
  if (header.length < BLOB_HEADER_BYTES || !isSealedBlob(header)) throw corrupt('no header');
  if (header.readUInt8(AT_VERSION) !== BLOB_FORMAT) throw corrupt('unknown format version');
  const keyIdLength = header.readUInt8(AT_KEY_ID_LENGTH);
  if (keyIdLength < 1 || keyIdLength > KEY_ID_BYTES) throw corrupt('bad key id');
  const keyId = header.toString('latin1', AT_KEY_ID, AT_KEY_ID + keyIdLength);
  const { enc, mac } = keys.forScope(keyId, keyScopeOf(boundTo));
  const expected = headerMac(mac, header, boundTo);
  if (!timingSafeEqual(expected, header.subarray(AT_MAC, BLOB_HEADER_BYTES))) {
    throw corrupt('header failed authentication (changed, or stored under another key)');
  }
  const chunkBytes = header.readUInt32BE(AT_CHUNK_BYTES);
  const length = header.readBigUInt64BE(BLOB_HEADER_TAIL_AT);
  if (chunkBytes < 1 || length > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('bad header');
  const plaintextBytes = Number(length);
  if (sealedBytes(plaintextBytes, chunkBytes) !== fileBytes) {
    throw corrupt(`holds ${fileBytes} bytes where its header implies another size (truncated?)`);
  }
  const prefix = Buffer.from(
    header.subarray(AT_NONCE_PREFIX, AT_NONCE_PREFIX + NONCE_PREFIX_BYTES),
  );
  const chunks = chunkCount(plaintextBytes, chunkBytes);
  const headerCopy = Buffer.from(header.subarray(0, BLOB_HEADER_BYTES));

  return {
    header: { keyId, chunkBytes, plaintextBytes } satisfies BlobHeader,
    chunks,
    /** Plaintext bytes in chunk `index`. */
    plainBytesOf: (index: number): number =>
      index < chunks - 1 ? chunkBytes : plaintextBytes - (chunks - 1) * chunkBytes,
    /** Opens chunk `index` (its ciphertext and tag), or throws without releasing a byte. */
    open(sealed: Buffer, index: number): Buffer {
      const cipherBytes = sealed.length - BLOB_TAG_BYTES;
      const decipher = createDecipheriv('aes-256-gcm', enc, nonceFor(prefix, index), {
        authTagLength: BLOB_TAG_BYTES,
      });
      decipher.setAAD(chunkAad(headerCopy, index, index === chunks - 1, boundTo));
      decipher.setAuthTag(sealed.subarray(cipherBytes));
      try {
        const plain = decipher.update(sealed.subarray(0, cipherBytes));
        decipher.final();
        return plain;
      } catch {
        throw corrupt(`chunk ${index} failed authentication (changed, moved or truncated)`);
      }
    },
  };
}
export type OpenedBlobHeader = ReturnType<typeof openBlobHeader>;
