import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLIND_INDEXES, ENCRYPTED_COLUMNS } from './encryptedColumns.js';
import { createFieldCipher, FieldDecryptError } from './fieldCipher.js';
import {
  addDataKey,
  generateKeyringFile,
  keyringFrom,
  loadOrCreateKeyringFile,
  parseKeyring,
} from './keyring.js';

const now = new Date('2026-11-25T00:00:00Z');
const ctx = { tenantId: 't-1', column: ENCRYPTED_COLUMNS.userDisplayName };

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
    expect(() => cipher.decrypt(sealed, { ...ctx, column: ENCRYPTED_COLUMNS.userEmail })).toThrow(
      FieldDecryptError,
    );
    expect(() => cipher.decrypt(sealed, { ...ctx, tenantId: null })).toThrow(FieldDecryptError);
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
    const { userEmail, userLoginId } = BLIND_INDEXES;
    const a = cipher.blindIndex('Hanako@Example.JP', userEmail);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.blindIndex('ｈａｎａｋｏ@example.jp ', userEmail)).toBe(a);
    expect(cipher.blindIndex('hanako@example.jp', userLoginId)).not.toBe(a);
    const other = createFieldCipher(keyringFrom(generateKeyringFile(now)));
    expect(other.blindIndex('hanako@example.jp', userEmail)).not.toBe(a);
  });
});

/**
 * Values sealed by the code before the registry existed (fixed keys below): every registry row
 * must still open them, or a deployed database becomes unreadable. A notice's recipient is a
 * copy of the user's e-mail value, so it opens through the notice row as it is.
 */
describe('stored values stay readable through the registry', () => {
  const fixed = createFieldCipher(
    keyringFrom({
      current: 'k20260101000000',
      dataKeys: { k20260101000000: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=' },
      indexKey: 'CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=',
    }),
  );
  const tenant = '11111111-1111-4111-8111-111111111111';
  const email = 'v1.k20260101000000.WqrHrqjhlNzigGkYyD14tbGzFcZkgAsWnpRxPwqfv3vBnSc/Brzco4FxYHsb';

  it.each([
    [
      'userLoginId',
      null,
      'v1.k20260101000000.Qxao5GOPNkLzkn07uxrq8vAIPw3dPyjYptCbb9AzucItF7Ey',
      'operator',
    ],
    [
      'userDisplayName',
      tenant,
      'v1.k20260101000000.C/ImnHmscBQXmwpp404qYepfmL/qAmgNhYo0KH7EQdBC6+OlOfzIItQ=',
      '山田 花子',
    ],
    ['userEmail', tenant, email, 'hanako@example.jp'],
    ['noticeRecipient', tenant, email, 'hanako@example.jp'],
  ] as const)('%s opens its stored values', (row, tenantId, stored, plain) => {
    expect(fixed.decrypt(stored, { tenantId, column: ENCRYPTED_COLUMNS[row] })).toBe(plain);
  });

  it('blind indexes keep their purposes', () => {
    expect(fixed.blindIndex('Hanako@Example.JP', BLIND_INDEXES.userEmail)).toBe(
      'e325260879294333679a31fa7f3c16c5cee00202dceeea2fae8cb05153f4fe99',
    );
    expect(fixed.blindIndex('operator', BLIND_INDEXES.userLoginId)).toBe(
      '0c8a46d20641a2d0a3aa84e84f725ccd5e34843dcb6e0c6e66e5363f7d76efb6',
    );
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
