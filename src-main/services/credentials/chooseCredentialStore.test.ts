import { describe, expect, it } from 'vitest';
import { chooseCredentialStore } from './chooseCredentialStore.js';
import {
  credentialAccount,
  CredentialStoreError,
  type CredentialAvailability,
} from './credentialStore.js';
import type { KeytarApi } from './keytarCredentialStore.js';

const SERVER = 'https://cloud.example.test';

const detail = (availability: CredentialAvailability) =>
  availability.persistent ? 'persistent' : availability.detail;

/** An in-memory stand-in with keytar's shape; the real keychain is tested in keychain.test.ts. */
function fakeKeytar(
  overrides: Partial<KeytarApi> = {},
): KeytarApi & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getPassword: (s, a) => Promise.resolve(items.get(`${s}/${a}`) ?? null),
    setPassword: (s, a, p) => (items.set(`${s}/${a}`, p), Promise.resolve()),
    deletePassword: (s, a) => Promise.resolve(items.delete(`${s}/${a}`)),
    ...overrides,
  };
}

describe('credentialAccount', () => {
  it('is <server>|<loginId> with the server normalised', () => {
    expect(credentialAccount('https://Cloud.Example.test/', 'a@b.jp')).toBe(
      'https://cloud.example.test|a@b.jp',
    );
    expect(credentialAccount('https://h.test:8443/weebum/', 'x|y')).toBe(
      'https://h.test:8443/weebum|x|y',
    );
    expect(() => credentialAccount('not a url', 'x')).toThrow();
  });
});

describe('chooseCredentialStore', () => {
  it('uses the keychain when the probe round trip works, and leaves no probe item behind', async () => {
    const keytar = fakeKeytar();
    const store = await chooseCredentialStore({ loadKeytar: () => Promise.resolve(keytar) });
    expect(store.availability).toEqual({ persistent: true, backend: 'keytar' });
    await store.set(SERVER, 'designer', 'refresh-1');
    expect([...keytar.items]).toEqual([
      ['Weebum Studio/https://cloud.example.test|designer', 'refresh-1'],
    ]);
    expect(await store.get(`${SERVER}/`, 'designer')).toBe('refresh-1');
    expect(await store.delete(SERVER, 'designer')).toBe(true);
    expect(await store.get(SERVER, 'designer')).toBeNull();
  });

  it('falls back when reads work but writes are refused (no unlocked collection)', async () => {
    const keytar = fakeKeytar({
      setPassword: () =>
        Promise.reject(new Error('Object does not exist at path …/collection/login')),
    });
    const store = await chooseCredentialStore({ loadKeytar: () => Promise.resolve(keytar) });
    expect(store.availability).toMatchObject({ persistent: false, reason: 'no_keychain' });
    expect(detail(store.availability)).toContain('collection/login');
  });

  it('falls back when keytar cannot load or the probe never answers', async () => {
    const missing = await chooseCredentialStore({
      loadKeytar: () =>
        Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    });
    expect(missing.availability.persistent).toBe(false);
    expect(detail(missing.availability)).toContain('libsecret');

    const hanging = await chooseCredentialStore({
      loadKeytar: () => Promise.resolve(fakeKeytar({ setPassword: () => new Promise(() => {}) })),
      probeTimeoutMs: 50,
    });
    expect(detail(hanging.availability)).toContain('50 ms');
  });

  it('the fallback keeps tokens for the session only and says why, in both languages', async () => {
    const store = await chooseCredentialStore({
      loadKeytar: () => Promise.reject(new Error('no')),
    });
    if (store.availability.persistent) throw new Error('expected the memory store');
    expect(store.availability.message).toMatch(/sign in again/);
    expect(store.availability.message).toMatch(/キーチェーン/);
    await store.set(SERVER, 'designer', 'refresh-1');
    expect(await store.get(SERVER, 'designer')).toBe('refresh-1');
    expect(await store.delete(SERVER, 'designer')).toBe(true);
    expect(await store.get(SERVER, 'designer')).toBeNull();
  });

  it('a keychain that fails after the probe reports a clear error code', async () => {
    let broken = false;
    const keytar = fakeKeytar();
    const store = await chooseCredentialStore({
      loadKeytar: () =>
        Promise.resolve({
          ...keytar,
          setPassword: (s, a, p) =>
            broken ? Promise.reject(new Error('locked')) : keytar.setPassword(s, a, p),
        }),
    });
    broken = true;
    await expect(store.set(SERVER, 'designer', 't')).rejects.toMatchObject({
      code: 'keychain_write_failed',
    });
    await expect(store.set(SERVER, 'designer', 't')).rejects.toBeInstanceOf(CredentialStoreError);
  });
});
