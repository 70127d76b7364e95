import {
  credentialAccount,
  type CredentialAvailability,
  type CredentialStore,
} from './credentialStore.js';

/**
 * Used when no keychain works: sign-in works for this session, nothing is written anywhere,
 * and `availability` carries the reason to show the user.
 */
export function createMemoryCredentialStore(
  availability: Extract<CredentialAvailability, { persistent: false }>,
): CredentialStore {
  const tokens = new Map<string, string>();
  return {
    availability,
    get: (server, loginId) =>
      Promise.resolve(tokens.get(credentialAccount(server, loginId)) ?? null),
    set: (server, loginId, refreshToken) => {
      tokens.set(credentialAccount(server, loginId), refreshToken);
      return Promise.resolve();
    },
    delete: (server, loginId) => Promise.resolve(tokens.delete(credentialAccount(server, loginId))),
  };
}
