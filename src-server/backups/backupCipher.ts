import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { Keyring } from '../crypto/keyring.js';

/**
 * Backups at rest (P10): AES-256-GCM in authenticated chunks, so a backup of any size is
 * encrypted and decrypted in bounded memory and no byte reaches the restore before it is
 * authenticated.
 *
 * File layout:
 *   "WEEBUMBK" | u32 header length | header JSON | chunk*
 *   chunk = u8 final flag | u32 ciphertext length | ciphertext | 16-byte tag
 * Each backup has a random salt; its chunk key is HKDF(data key, salt). Chunk i uses nonce i
 * (unique under that key) and authenticates the whole header and its final flag as AAD, so
 * reordered, dropped, truncated or re-headed chunks fail. The header names the keyring's data key
 * id, so a backup stays readable after the current key is rotated, as long as the old key is kept.
 */
export const BACKUP_MAGIC = Buffer.from('WEEBUMBK');
const FORMAT = 1;
const CHUNK_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 4096;

export interface BackupHeader {
  readonly format: number;
  readonly keyId: string;
  /** base64 */
  readonly salt: string;
  readonly dialect: 'postgres' | 'pglite';
  readonly backupId: string;
  readonly createdAt: string;
}

export class BackupCipherError extends Error {
  override readonly name = 'BackupCipherError';
  constructor(
    readonly code: 'backup_key_unknown' | 'backup_corrupt' | 'backup_auth_failed',
    message: string,
  ) {
    super(message);
  }
}

const chunkKey = (dataKey: Buffer, salt: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', dataKey, salt, 'weebum backup v1', 32));

const nonceFor = (index: number): Buffer => {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
};

const aadFor = (header: Buffer, final: boolean): Buffer =>
  Buffer.concat([header, Buffer.from([final ? 1 : 0])]);

/** Encrypts a plaintext stream with the keyring's current data key. */
export function createBackupEncryptor(
  keyring: Keyring,
  meta: Pick<BackupHeader, 'dialect' | 'backupId' | 'createdAt'>,
): Transform {
  const keyId = keyring.currentKeyId;
  const salt = randomBytes(32);
  const key = chunkKey(keyring.dataKey(keyId) as Buffer, salt);
  const headerJson = Buffer.from(
    JSON.stringify({ format: FORMAT, keyId, salt: salt.toString('base64'), ...meta }),
  );
  let index = 0;
  let pending = Buffer.alloc(0);

  const seal = (plain: Buffer, final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonceFor(index++), {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(aadFor(headerJson, final));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const frame = Buffer.alloc(5);
    frame.writeUInt8(final ? 1 : 0, 0);
    frame.writeUInt32BE(body.length, 1);
    return Buffer.concat([frame, body, cipher.getAuthTag()]);
  };

  const lengthPrefix = Buffer.alloc(4);
  lengthPrefix.writeUInt32BE(headerJson.length);
  let headerSent = false;
  const header = (): Buffer[] => {
    if (headerSent) return [];
    headerSent = true;
    return [BACKUP_MAGIC, lengthPrefix, headerJson];
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      pending = Buffer.concat([pending, chunk]);
      const out = header();
      // Keep at least one byte back so the last chunk is always the one flagged final.
      while (pending.length > CHUNK_BYTES) {
        out.push(seal(pending.subarray(0, CHUNK_BYTES), false));
        pending = pending.subarray(CHUNK_BYTES);
      }
      callback(null, Buffer.concat(out));
    },
    flush(callback: TransformCallback) {
      callback(null, Buffer.concat([...header(), seal(pending, true)]));
    },
  });
}

/**
 * Decrypts what createBackupEncryptor wrote, failing with a BackupCipherError on a wrong key,
 * any changed byte, or a missing end. `onHeader` sees the header before any plaintext.
 */
export function createBackupDecryptor(
  keyring: Keyring,
  onHeader?: (header: BackupHeader) => void,
): Transform {
  let buffered = Buffer.alloc(0);
  let headerJson: Buffer | undefined;
  let key: Buffer | undefined;
  let index = 0;
  let finished = false;

  const readHeader = (): boolean => {
    if (buffered.length < BACKUP_MAGIC.length + 4) return false;
    if (!buffered.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
      throw new BackupCipherError('backup_corrupt', 'not a Weebum backup (bad magic)');
    }
    const length = buffered.readUInt32BE(BACKUP_MAGIC.length);
    if (length > MAX_HEADER_BYTES) throw new BackupCipherError('backup_corrupt', 'bad header');
    const start = BACKUP_MAGIC.length + 4;
    if (buffered.length < start + length) return false;
    headerJson = Buffer.from(buffered.subarray(start, start + length));
    let header: BackupHeader;
    try {
      header = JSON.parse(headerJson.toString('utf8')) as BackupHeader;
    } catch {
      throw new BackupCipherError('backup_corrupt', 'bad header');
    }
    if (header.format !== FORMAT) {
      throw new BackupCipherError('backup_corrupt', `unknown backup format ${header.format}`);
    }
    const dataKey = keyring.dataKey(header.keyId);
    if (dataKey === undefined) {
      throw new BackupCipherError(
        'backup_key_unknown',
        `the backup was encrypted with key "${header.keyId}", which is not in the keyring`,
      );
    }
    key = chunkKey(dataKey, Buffer.from(header.salt, 'base64'));
    onHeader?.(header);
    buffered = buffered.subarray(start + length);
    return true;
  };

  const openChunks = (): Buffer[] => {
    const out: Buffer[] = [];
    while (buffered.length >= 5) {
      if (finished) throw new BackupCipherError('backup_corrupt', 'data after the final chunk');
      const final = buffered.readUInt8(0) === 1;
      const length = buffered.readUInt32BE(1);
      if (length > CHUNK_BYTES) throw new BackupCipherError('backup_corrupt', 'chunk too large');
      if (buffered.length < 5 + length + TAG_BYTES) break;
      const decipher = createDecipheriv('aes-256-gcm', key as Buffer, nonceFor(index++), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aadFor(headerJson as Buffer, final));
      decipher.setAuthTag(buffered.subarray(5 + length, 5 + length + TAG_BYTES));
      try {
        out.push(decipher.update(buffered.subarray(5, 5 + length)), decipher.final());
      } catch {
        throw new BackupCipherError(
          'backup_auth_failed',
          'the backup failed authentication: wrong key, or it was changed',
        );
      }
      buffered = buffered.subarray(5 + length + TAG_BYTES);
      finished = final;
    }
    return out;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        buffered = Buffer.concat([buffered, chunk]);
        if (headerJson === undefined && !readHeader()) return callback();
        callback(null, Buffer.concat(openChunks()));
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      if (!finished || buffered.length > 0) {
        callback(new BackupCipherError('backup_corrupt', 'the backup is truncated'));
        return;
      }
      callback();
    },
  });
}
