import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as argon2 from 'argon2';

/** OWASP ASVS 5 minimums for argon2id: 19 MiB, 2 iterations, 1 lane. Raising them rehashes on sign-in. */
export interface HashParams {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}
export const DEFAULT_HASH_PARAMS: HashParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem =
  'password_too_short' | 'password_too_long' | 'password_too_common' | 'password_too_simple';

/**
 * Passwords are compared and hashed in NFKC (NIST 800-63B 5.1.1.2), so a password typed with the
 * IME's full-width digits or letters on one PC signs in with half-width ones on another.
 */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

export interface PasswordPolicy {
  /** null when acceptable. Length counts characters (code points), so 8 kanji are 8. */
  check(password: string, context?: { loginId?: string }): PasswordProblem | null;
}

/** Loads the shipped list of common passwords (src-server/auth/common-passwords.txt). */
export async function loadCommonPasswords(
  file = new URL('./common-passwords.txt', import.meta.url),
): Promise<ReadonlySet<string>> {
  const text = await readFile(file, 'utf8');
  return new Set(text.split('\n').filter(Boolean));
}

/** Length and a common-password list; no composition rules (NIST 800-63B, ASVS 5). */
export function createPasswordPolicy(common: ReadonlySet<string>): PasswordPolicy {
  return {
    check(password, context) {
      const length = [...password].length;
      if (length < PASSWORD_MIN_LENGTH) return 'password_too_short';
      if (length > PASSWORD_MAX_LENGTH) return 'password_too_long';
      const normalized = normalizePassword(password);
      // Eight spaces, or one key held down: no composition rules, but not nothing.
      if (normalized.trim() === '' || new Set(normalized).size === 1) return 'password_too_simple';
      const lower = normalized.toLowerCase();
      if (common.has(lower)) return 'password_too_common';
      if (context?.loginId && lower === context.loginId.normalize('NFKC').toLowerCase()) {
        return 'password_too_common';
      }
      return null;
    },
  };
}

export function createPasswordHasher(params: HashParams = DEFAULT_HASH_PARAMS) {
  const options: argon2.HashOptions = { type: argon2.argon2id, ...params };
  return {
    hash: (password: string): Promise<string> => argon2.hash(normalizePassword(password), options),
    /**
     * Never throws on a malformed stored hash: that is simply not a match. A hash made before
     * passwords were normalised matches the password as typed.
     */
    async verify(stored: string, password: string): Promise<boolean> {
      const normalized = normalizePassword(password);
      try {
        if (await argon2.verify(stored, normalized)) return true;
        return normalized !== password && (await argon2.verify(stored, password));
      } catch {
        return false;
      }
    },
    needsRehash: (stored: string): boolean => argon2.needsRehash(stored, options),
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;

// No 0/O, 1/l/I: temporary passwords are read off a screen and typed by hand.
const TEMP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export const TEMP_PASSWORD_LENGTH = 20;

/** A temporary password from the CSPRNG (about 116 bits). */
export function generateTemporaryPassword(): string {
  let out = '';
  for (let i = 0; i < TEMP_PASSWORD_LENGTH; i++)
    out += TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)];
  return out;
}
