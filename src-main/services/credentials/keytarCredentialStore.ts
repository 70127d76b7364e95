import {
  credentialAccount,
  CredentialStoreError,
  KEYCHAIN_SERVICE,
  type CredentialStore,
} from './credentialStore.js';

/** The part of keytar we use; passed in so that nothing native loads at import time. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Refresh tokens in the OS keychain: service `Weebum Studio`, account `<server>|<loginId>`. */
export function createKeytarCredentialStore(keytar: KeytarApi): CredentialStore {
  return {
    availability: { persistent: true, backend: 'keytar' },
    get: async (server, loginId) => {
      try {
        return await keytar.getPassword(KEYCHAIN_SERVICE, credentialAccount(server, loginId));
      } catch (error) {
        throw new CredentialStoreError(
          'keychain_read_failed',
          `Could not read from the keychain: ${reason(error)}`,
        );
      }
    },
    set: async (server, loginId, refreshToken) => {
      try {
        await keytar.setPassword(
          KEYCHAIN_SERVICE,
          credentialAccount(server, loginId),
          refreshToken,
        );
      } catch (error) {
        throw new CredentialStoreError(
          'keychain_write_failed',
          `Could not save to the keychain: ${reason(error)}`,
        );
      }
    },
    delete: async (server, loginId) => {
      try {
        return await keytar.deletePassword(KEYCHAIN_SERVICE, credentialAccount(server, loginId));
      } catch (error) {
        throw new CredentialStoreError(
          'keychain_delete_failed',
          `Could not delete from the keychain: ${reason(error)}`,
        );
      }
    },
  };
}
