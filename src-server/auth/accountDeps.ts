import type { Db } from '../db/db.js';
import type { FieldCipher } from '../crypto/fieldCipher.js';
import type { PasswordHasher, PasswordPolicy } from './passwords.js';

/** What the account, session and tenant services need; built once by the composition root. */
export interface AccountDeps {
  readonly db: Db;
  readonly cipher: FieldCipher;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicy;
  /** Every expiry and lock is computed from this clock, so tests can move time. */
  readonly now: () => Date;
}

/** Access tokens live at most 15 minutes; a refresh family at most 30 days from sign-in. */
export const ACCESS_TOKEN_TTL_MS = 15 * 60 * 1000;
export const SESSION_FAMILY_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Temporary passwords (new accounts, resets) expire after 7 days (P6). */
export const TEMPORARY_PASSWORD_TTL_MS = 7 * 24 * 60 * 60 * 1000;
