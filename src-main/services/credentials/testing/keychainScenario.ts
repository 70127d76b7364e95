/**
 * Runs against the real OS keychain; started by keychain.test.ts (inside dbus-run-session with
 * gnome-keyring, or with no D-Bus at all). Prints one JSON line with what it saw.
 * Usage: keychainScenario.ts probe | write | read | delete
 */
import type * as Keytar from 'keytar';
import { chooseCredentialStore, loadKeytar } from '../chooseCredentialStore.js';
import { KEYCHAIN_SERVICE } from '../credentialStore.js';

const SERVER = 'https://cloud.example.test';
const phase = process.argv[2];

const keytar = await loadKeytar().catch(() => null);
const store = await chooseCredentialStore({ probeTimeoutMs: 10_000 });
const out: Record<string, unknown> = { phase, availability: store.availability };

if (phase === 'write') {
  await store.set(SERVER, 'designer@example.test', 'refresh-designer');
  await store.set(`${SERVER}/`, 'staff@example.test', 'refresh-staff');
  await store.set(SERVER, 'designer@example.test', 'refresh-designer-rotated');
} else if (phase === 'read') {
  out.designer = await store.get(SERVER, 'designer@example.test');
  out.staff = await store.get(SERVER, 'staff@example.test');
  // Straight from the Secret Service, bypassing our code: exact service and account names.
  out.raw = keytar
    ? (await (keytar as typeof Keytar).findCredentials(KEYCHAIN_SERVICE))
        .map((c) => `${c.account}=${c.password}`)
        .sort()
    : null;
} else if (phase === 'delete') {
  out.deleted = await store.delete(SERVER, 'designer@example.test');
  out.deletedAgain = await store.delete(SERVER, 'designer@example.test');
  out.designer = await store.get(SERVER, 'designer@example.test');
  out.staff = await store.get(SERVER, 'staff@example.test');
}
console.log(JSON.stringify(out));
