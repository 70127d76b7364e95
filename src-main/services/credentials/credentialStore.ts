/** The keychain service name every Weebum Studio secret is filed under. */
export const KEYCHAIN_SERVICE = 'Weebum Studio';

export type CredentialAvailability =
  | { readonly persistent: true; readonly backend: 'keytar' }
  | {
      readonly persistent: false;
      readonly reason: 'no_keychain';
      /** For the user, in English and Japanese. */
      readonly message: string;
      /** What the backend said, for logs and support. */
      readonly detail: string;
    };

/**
 * Where the refresh token lives. The one implementation that persists is the OS keychain
 * (keytar today; Electron's safeStorage can replace it behind this interface). Nothing else in
 * the app stores a token.
 */
export interface CredentialStore {
  readonly availability: CredentialAvailability;
  get(server: string, loginId: string): Promise<string | null>;
  set(server: string, loginId: string, refreshToken: string): Promise<void>;
  /** True if something was removed. */
  delete(server: string, loginId: string): Promise<boolean>;
}

/**
 * The keychain account name: `<server>|<loginId>`, the server written as origin plus path
 * without a trailing slash, so `https://Cloud.example/` and `https://cloud.example` are one.
 * A URL never holds a raw `|`, so the first `|` separates the two.
 */
export function credentialAccount(server: string, loginId: string): string {
  const url = new URL(server);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}|${loginId}`;
}

export class CredentialStoreError extends Error {
  constructor(
    readonly code: 'keychain_read_failed' | 'keychain_write_failed' | 'keychain_delete_failed',
    message: string,
  ) {
    super(message);
    this.name = 'CredentialStoreError';
  }
}
