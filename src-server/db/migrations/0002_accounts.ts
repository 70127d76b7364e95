import type { Migration } from './migration.js';

export const accounts: Migration = {
  version: 2,
  name: 'accounts',
  statements: [
    // Personal data (login id, display name, e-mail) is stored only as FieldCipher text
    // (`v1.<keyId>.<base64>`, AES-256-GCM bound to tenant and column) and found through keyed
    // HMAC indexes (P8). The role list is spelt out rather than generated from ROLES: a
    // migration's text must never change after release (its checksum is verified).
    `CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN
        ('operator', 'studio_admin', 'designer', 'school_admin', 'school_staff')),
      login_id_index text UNIQUE,
      login_id_enc text,
      display_name_enc text,
      email_enc text,
      email_index text,
      password_hash text,
      password_is_temporary boolean NOT NULL DEFAULT false,
      temporary_password_expires_at timestamptz,
      disabled_at timestamptz,
      deleted_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      -- The operator is Weebum staff and belongs to no customer tenant; everyone else does.
      CHECK ((role = 'operator') = (tenant_id IS NULL)),
      -- Deleting clears personal data and the password; a live account has all of them.
      CHECK (deleted_at IS NOT NULL OR (login_id_index IS NOT NULL AND login_id_enc IS NOT NULL
        AND display_name_enc IS NOT NULL AND password_hash IS NOT NULL)),
      CHECK ((email_enc IS NULL) = (email_index IS NULL)),
      CHECK (NOT password_is_temporary OR temporary_password_expires_at IS NOT NULL)
    )`,
    `CREATE INDEX users_tenant ON users (tenant_id)`,
    `CREATE INDEX users_email_index ON users (email_index) WHERE email_index IS NOT NULL`,
    // Sign-in throttling per attempted login id (P14), keyed by the login id's blind index and
    // not by user: an unknown login id must be throttled exactly like an existing one, or the
    // lock-out would tell which accounts exist. In the database, not in memory, because many
    // instances share the load.
    `CREATE TABLE sign_in_throttle (
      login_id_index text PRIMARY KEY,
      consecutive_failures integer NOT NULL DEFAULT 0,
      last_failed_at timestamptz,
      locked_until timestamptz,
      window_started_at timestamptz,
      window_failures integer NOT NULL DEFAULT 0
    )`,
    `CREATE INDEX sign_in_throttle_last_failed ON sign_in_throttle (last_failed_at)`,
    // One row per issued token pair. A refresh makes a new row in the same family and marks the
    // old one rotated; tokens are stored as SHA-256 hashes only.
    `CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      family_id uuid NOT NULL,
      access_token_hash text NOT NULL UNIQUE,
      access_expires_at timestamptz NOT NULL,
      refresh_token_hash text NOT NULL UNIQUE,
      family_expires_at timestamptz NOT NULL,
      rotated_at timestamptz,
      revoked_at timestamptz,
      password_change_only boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      source_address inet
    )`,
    `CREATE INDEX sessions_user ON sessions (user_id)`,
    `CREATE INDEX sessions_family ON sessions (family_id)`,
    // For the job that deletes sessions whose family lifetime is over.
    `CREATE INDEX sessions_family_expires ON sessions (family_expires_at)`,
  ],
};
