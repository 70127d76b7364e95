import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPasswordHasher,
  createPasswordPolicy,
  generateTemporaryPassword,
  loadCommonPasswords,
  TEMP_PASSWORD_LENGTH,
  type PasswordPolicy,
} from './passwords.js';

describe('password policy', () => {
  let policy: PasswordPolicy;
  beforeAll(async () => {
    const common = await loadCommonPasswords();
    expect(common.size).toBeGreaterThan(10_000);
    policy = createPasswordPolicy(common);
  });

  it('takes 8 to 128 characters, counted as characters', () => {
    expect(policy.check('short')).toBe('password_too_short');
    expect(policy.check('桜の花が咲く卒業')).toBeNull(); // 8 kanji/kana
    expect(policy.check('桜の花が咲く')).toBe('password_too_short');
    expect(policy.check('xy'.repeat(64))).toBeNull();
    expect(policy.check('xy'.repeat(64) + 'z')).toBe('password_too_long');
    expect(policy.check('🌸🌼'.repeat(64))).toBeNull(); // 256 UTF-16 units, 128 characters
  });

  it('refuses common passwords whatever their case or width', () => {
    expect(policy.check('password')).toBe('password_too_common');
    expect(policy.check('PASSWORD')).toBe('password_too_common');
    expect(policy.check('１２３４５６７８')).toBe('password_too_common'); // full-width digits
    expect(policy.check('qwertyuiop')).toBe('password_too_common');
  });

  it('refuses only spaces and one repeated character, in any width', () => {
    expect(policy.check('        ')).toBe('password_too_simple'); // eight spaces
    expect(policy.check('\u3000'.repeat(8))).toBe('password_too_simple'); // ideographic spaces
    expect(policy.check(' \t \t \t \t')).toBe('password_too_simple');
    expect(policy.check('zzzzzzzzzz')).toBe('password_too_simple');
    expect(policy.check('ｚｚｚｚzzzz')).toBe('password_too_simple'); // full- and half-width z
    expect(policy.check('ああああああああ')).toBe('password_too_simple');
    expect(policy.check('zzzzzzzzzy')).toBeNull();
    expect(policy.check(' sakura  ')).toBeNull();
  });

  it('refuses the login id as password and accepts a passphrase without composition rules', () => {
    expect(policy.check('yamada.hanako', { loginId: 'Yamada.Hanako' })).toBe('password_too_common');
    expect(policy.check('correct horse battery staple')).toBeNull();
  });
});

describe('password hashing', () => {
  const hasher = createPasswordHasher();

  it('hashes with argon2id at the ASVS minimums and verifies', async () => {
    const stored = await hasher.hash('桜の花が咲く卒業');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await hasher.verify(stored, '桜の花が咲く卒業')).toBe(true);
    expect(await hasher.verify(stored, '桜の花が咲く卒業 ')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(false);
  });

  it('signs in with the same password typed in full or half width (NFKC)', async () => {
    const stored = await hasher.hash('ｓａｋｕｒａ２０２６');
    expect(await hasher.verify(stored, 'sakura2026')).toBe(true);
    expect(await hasher.verify(stored, 'ｓａｋｕｒａ２０２６')).toBe(true);
    expect(await hasher.verify(stored, 'sakura2027')).toBe(false);
  });

  it('still accepts a full-width password hashed before passwords were normalised', async () => {
    const argon2 = await import('argon2');
    const legacy = await argon2.hash('ｓａｋｕｒａ２０２６', { type: argon2.argon2id });
    expect(await hasher.verify(legacy, 'ｓａｋｕｒａ２０２６')).toBe(true);
    expect(await hasher.verify(legacy, 'sakura2027')).toBe(false);
  });

  it('asks for a rehash when the parameters go up', async () => {
    const weak = createPasswordHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 });
    const stored = await weak.hash('correct horse battery staple');
    expect(hasher.needsRehash(stored)).toBe(true);
    expect(await hasher.verify(stored, 'correct horse battery staple')).toBe(true);
  });
});

describe('temporary passwords', () => {
  it('are long, random and unambiguous', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateTemporaryPassword();
      expect(p).toHaveLength(TEMP_PASSWORD_LENGTH);
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]+$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
