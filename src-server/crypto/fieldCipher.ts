import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import {
  OPERATOR_CIPHER_TENANT,
  type BlindIndex,
  type EncryptedColumn,
} from './encryptedColumns.js';
import type { Keyring } from './keyring.js';

/**
 * What a ciphertext is bound to: moving it to another row's tenant or column fails to decrypt.
 * The column is a row of the registry (encryptedColumns.ts), never a label typed at the call.
 */
export interface FieldContext {
  /** null for the operator, who has no tenant. */
  readonly tenantId: string | null;
  readonly column: EncryptedColumn;
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const aad = (ctx: FieldContext): Buffer =>
  Buffer.from(`${VERSION}|${ctx.column.label}|${ctx.tenantId ?? OPERATOR_CIPHER_TENANT}`);

export class FieldDecryptError extends Error {
  override readonly name = 'FieldDecryptError';
}

/** Personal data at rest (P8): AES-256-GCM, random 96-bit nonce, key id in the stored value. */
export function createFieldCipher(keyring: Keyring) {
  return {
    /** `v1.<keyId>.<base64(nonce | ciphertext | tag)>` */
    encrypt(plaintext: string, ctx: FieldContext): string {
      const keyId = keyring.currentKeyId;
      const key = keyring.dataKey(keyId) as Buffer;
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(ctx));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]);
      return `${VERSION}.${keyId}.${sealed.toString('base64')}`;
    },

    decrypt(stored: string, ctx: FieldContext): string {
      const [version, keyId, payload] = stored.split('.');
      const key = keyId === undefined ? undefined : keyring.dataKey(keyId);
      if (version !== VERSION || !key || !payload) {
        throw new FieldDecryptError(`cannot decrypt ${ctx.column.label}: unknown format or key`);
      }
      const sealed = Buffer.from(payload, 'base64');
      if (sealed.length < NONCE_BYTES + TAG_BYTES) {
        throw new FieldDecryptError(`cannot decrypt ${ctx.column.label}: truncated`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aad(ctx));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      try {
        const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new FieldDecryptError(`cannot decrypt ${ctx.column.label}: authentication failed`);
      }
    },

    /** The key id a stored value was sealed with, to find rows that need re-encryption. */
    keyIdOf(stored: string): string | undefined {
      return stored.split('.')[1];
    },

    /**
     * Keyed hash for equality look-ups without plaintext (login ids, e-mails). The index's
     * purpose separates indexes so equal values in different columns do not match.
     */
    blindIndex(value: string, index: BlindIndex): string {
      return createHmac('sha256', keyring.indexKey)
        .update(`${index.purpose}\u0000${normalizeForIndex(value)}`)
        .digest('hex');
    },
  };
}
export type FieldCipher = ReturnType<typeof createFieldCipher>;

/** Login ids and e-mails compare case-insensitively and width-insensitively (全角/半角). */
export const normalizeForIndex = (value: string): string =>
  value.normalize('NFKC').trim().toLowerCase();
