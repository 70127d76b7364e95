import type { Migration } from './migration.js';

export const albums: Migration = {
  version: 4,
  name: 'albums',
  statements: [
    // An album is owned by a studio tenant and made for a school tenant; who sees it is decided
    // by membership and role (albums/albumAccess.ts). The document holds the src-shared Album.
    `CREATE TABLE albums (
      id uuid PRIMARY KEY,
      studio_tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      school_tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      document jsonb NOT NULL,
      version integer NOT NULL DEFAULT 1,
      archived_at timestamptz,
      deleted_at timestamptz,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX albums_studio ON albums (studio_tenant_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX albums_school ON albums (school_tenant_id) WHERE deleted_at IS NULL`,
    `CREATE TABLE album_members (
      album_id uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      added_by uuid,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (album_id, user_id)
    )`,
    `CREATE INDEX album_members_user ON album_members (user_id)`,
    // The change feed's numbering: one counter row per album, incremented in the same
    // transaction as the change. The row lock orders writers of one album, so sequence numbers
    // become visible in commit order and a reader following seq > cursor never skips a change
    // (a PostgreSQL sequence would hand out numbers before commit, out of commit order).
    `CREATE TABLE album_change_counters (
      album_id uuid PRIMARY KEY REFERENCES albums (id) ON DELETE CASCADE,
      last_seq bigint NOT NULL DEFAULT 0
    )`,
    `CREATE TABLE album_changes (
      album_id uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
      seq bigint NOT NULL,
      entity text NOT NULL CHECK (entity IN ('album', 'page', 'photo', 'membership')),
      entity_id text NOT NULL,
      op text NOT NULL CHECK (op IN ('upsert', 'delete')),
      version integer,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (album_id, seq)
    )`,
    // Page ids are made by clients (pages are created offline), so they are unique per album.
    `CREATE TABLE pages (
      album_id uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
      id text NOT NULL CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
      position integer NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      document jsonb NOT NULL,
      deleted_at timestamptz,
      updated_by uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (album_id, id)
    )`,
    `CREATE INDEX pages_album_position ON pages (album_id, position) WHERE deleted_at IS NULL`,
    // A retried push (same client, same mutation number) is answered from here, not applied again.
    `CREATE TABLE page_mutations (
      client_id text NOT NULL,
      mutation_no bigint NOT NULL,
      album_id uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
      page_id text NOT NULL,
      result_version integer NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (client_id, mutation_no)
    )`,
  ],
};
