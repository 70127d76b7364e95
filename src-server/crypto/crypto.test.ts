import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, FieldDecryptError } from './fieldCipher.js';
import {
  addDataKey,
  generateKeyringFile,
  keyringFrom,
  loadOrCreateKeyringFile,
  parseKeyring,
} from './keyring.js';

const now = new Date('2026-11-25T00:00:00Z');
const ctx = { tenantId: 't-1', column: 'users.display_name' };

describe('field encryption', () => {
  const file = generateKeyringFile(now);
  const cipher = createFieldCipher(keyringFrom(file));

  it('round-trips Japanese text and never stores the plaintext', () => {
    const sealed = cipher.encrypt('山田 花子', ctx);
    expect(sealed).toMatch(/^v1\.k20261125000000\.[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('山田');
    expect(Buffer.from(sealed.split('.')[2] ?? '', 'base64').toString('utf8')).not.toContain(
      '山田',
    );
    expect(cipher.decrypt(sealed, ctx)).toBe('山田 花子');
  });

  it('uses a fresh nonce each time', () => {
    expect(cipher.encrypt('same', ctx)).not.toBe(cipher.encrypt('same', ctx));
  });

  it('binds the tenant and column: a value moved elsewhere does not decrypt', () => {
    const sealed = cipher.encrypt('hanako@example.jp', ctx);
    expect(() => cipher.decrypt(sealed, { ...ctx, tenantId: 't-2' })).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt(sealed, { ...ctx, column: 'users.email' })).toThrow(
      FieldDecryptError,
    );
  });

  it('detects tampering and unknown formats', () => {
    const sealed = cipher.encrypt('secret', ctx);
    const raw = Buffer.from(sealed.split('.')[2] ?? '', 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    const tampered = `v1.${cipher.keyIdOf(sealed)}.${raw.toString('base64')}`;
    expect(() => cipher.decrypt(tampered, ctx)).toThrow(/authentication failed/);
    expect(() => cipher.decrypt('v2.x.y', ctx)).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt('v1.k.AAAA', ctx)).toThrow(FieldDecryptError);
  });

  it('rotates: the new key encrypts, the old key still decrypts', () => {
    const old = cipher.encrypt('旧データ', ctx);
    const rotatedFile = addDataKey(file, new Date('2027-01-01T00:00:00Z'));
    const rotated = createFieldCipher(keyringFrom(rotatedFile));
    expect(rotated.decrypt(old, ctx)).toBe('旧データ');
    const fresh = rotated.encrypt('新データ', ctx);
    expect(rotated.keyIdOf(fresh)).toBe(rotatedFile.current);
    expect(rotated.keyIdOf(fresh)).not.toBe(file.current);
    expect(() => cipher.decrypt(fresh, ctx)).toThrow(FieldDecryptError);
  });

  it('makes blind indexes that ignore case and width but separate purposes', () => {
    const a = cipher.blindIndex('Hanako@Example.JP', 'email');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.blindIndex('ｈａｎａｋｏ@example.jp ', 'email')).toBe(a);
    expect(cipher.blindIndex('hanako@example.jp', 'login')).not.toBe(a);
    const other = createFieldCipher(keyringFrom(generateKeyringFile(now)));
    expect(other.blindIndex('hanako@example.jp', 'email')).not.toBe(a);
  });
});

describe('keyring files', () => {
  it('creates a 0600 key file once and reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weebum-keys-'));
    const path = join(dir, 'keys', 'keyring.json');
    const first = await loadOrCreateKeyringFile(path, now);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateKeyringFile(path, new Date());
    expect(second).toEqual(first);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(first);
  });

  it('refuses malformed keyrings with a clear message', () => {
    expect(() => parseKeyring('{', 'WEEBUM_KEYRING')).toThrow(/not valid JSON/);
    const file = generateKeyringFile(now);
    expect(() =>
      parseKeyring(JSON.stringify({ ...file, indexKey: 'c2hvcnQ=' }), 'WEEBUM_KEYRING'),
    ).toThrow(/indexKey must be 32 bytes/);
    expect(() =>
      parseKeyring(JSON.stringify({ ...file, current: 'missing' }), 'WEEBUM_KEYRING'),
    ).toThrow(/current key "missing"/);
  });
});
