import type { Db, Queryable } from '../db/db.js';
import type { Album } from '../../src-shared/model/album.js';
import { appendChange, createChangeCounter } from './changeFeed.js';

/** The only code that reads or writes `albums`. */
export interface AlbumRecord {
  readonly id: string;
  readonly studioTenantId: string;
  readonly schoolTenantId: string;
  readonly document: Album;
  readonly version: number;
  readonly archivedAt: Date | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface AlbumRow extends Record<string, unknown> {
  id: string;
  studio_tenant_id: string;
  school_tenant_id: string;
  document: Album;
  version: number;
  archived_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `a.id, a.studio_tenant_id, a.school_tenant_id, a.document, a.version,
  a.archived_at, a.created_by, a.created_at, a.updated_at`;

const toAlbum = (r: AlbumRow): AlbumRecord => ({
  id: r.id,
  studioTenantId: r.studio_tenant_id,
  schoolTenantId: r.school_tenant_id,
  document: r.document,
  version: r.version,
  archivedAt: r.archived_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AlbumWithMembership {
  readonly album: AlbumRecord;
  readonly isMember: boolean;
  /** The earlier contract end of the album's studio and school (null: neither ends). */
  readonly contractEnd: Date | null;
}

/** Both tenants' contracts bind the album: whichever ends first makes it read-only (P4). */
const CONTRACT_END = `(SELECT min(t.contract_end) FROM tenants t
   WHERE t.id IN (a.studio_tenant_id, a.school_tenant_id)) AS contract_end`;

/** Inserts an album with its change counter and first change; call inside a transaction. */
export async function insertAlbum(
  tx: Queryable,
  input: {
    album: Album;
    studioTenantId: string;
    schoolTenantId: string;
    createdBy: string | null;
    now?: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO albums (id, studio_tenant_id, school_tenant_id, document, created_by,
                         created_at, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, coalesce($6::timestamptz, now()),
             coalesce($6::timestamptz, now()))`,
    [
      input.album.id,
      input.studioTenantId,
      input.schoolTenantId,
      JSON.stringify(input.album),
      input.createdBy,
      input.now ?? null,
    ],
  );
  await createChangeCounter(tx, input.album.id);
  await appendChange(tx, {
    albumId: input.album.id,
    entity: 'album',
    entityId: input.album.id,
    op: 'upsert',
    version: 1,
  });
}

/** Creates an album with its change counter and its first change, in one transaction. */
export async function createAlbum(
  db: Db,
  input: { album: Album; studioTenantId: string; schoolTenantId: string; createdBy: string | null },
): Promise<void> {
  await db.transaction((tx) => insertAlbum(tx, input));
}

export const albumRepository = {
  /**
   * A live album only if `tenantId` is its studio or its school, with whether `userId` is a
   * member: another tenant's album is reported exactly like a missing one (P15).
   * `forUpdate` locks the album row (settings, archive, delete, membership changes).
   */
  async findForTenant(
    q: Queryable,
    albumId: string,
    caller: { tenantId: string; userId: string },
    forUpdate = false,
  ): Promise<AlbumWithMembership | undefined> {
    const { rows } = await q.query<AlbumRow & { is_member: boolean; contract_end: Date | null }>(
      `SELECT ${COLUMNS}, ${CONTRACT_END},
              EXISTS (SELECT 1 FROM album_members m
                       WHERE m.album_id = a.id AND m.user_id = $3) AS is_member
         FROM albums a
        WHERE a.id = $1 AND a.deleted_at IS NULL
          AND (a.studio_tenant_id = $2 OR a.school_tenant_id = $2)
        ${forUpdate ? 'FOR UPDATE OF a' : ''}`,
      [albumId, caller.tenantId, caller.userId],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { album: toAlbum(row), isMember: row.is_member, contractEnd: row.contract_end };
  },

  /** Live albums of which `tenantId` is the studio or the school, with membership. */
  async listForTenant(
    q: Queryable,
    caller: { tenantId: string; userId: string },
  ): Promise<AlbumWithMembership[]> {
    const { rows } = await q.query<AlbumRow & { is_member: boolean; contract_end: Date | null }>(
      `SELECT ${COLUMNS}, ${CONTRACT_END},
              EXISTS (SELECT 1 FROM album_members m
                       WHERE m.album_id = a.id AND m.user_id = $2) AS is_member
         FROM albums a
        WHERE a.deleted_at IS NULL
          AND (a.studio_tenant_id = $1 OR a.school_tenant_id = $1)
        ORDER BY a.created_at, a.id`,
      [caller.tenantId, caller.userId],
    );
    return rows.map((r) => ({
      album: toAlbum(r),
      isMember: r.is_member,
      contractEnd: r.contract_end,
    }));
  },

  /** A live album by id, for the change feed's album entries (no access check: caller did it). */
  async findLive(q: Queryable, albumId: string): Promise<AlbumRecord | undefined> {
    const { rows } = await q.query<AlbumRow>(
      `SELECT ${COLUMNS} FROM albums a WHERE a.id = $1 AND a.deleted_at IS NULL`,
      [albumId],
    );
    return rows[0] === undefined ? undefined : toAlbum(rows[0]);
  },

  async updateDocument(
    tx: Queryable,
    albumId: string,
    document: Album,
    now: Date,
  ): Promise<AlbumRecord> {
    const { rows } = await tx.query<AlbumRow>(
      `UPDATE albums a SET document = $2::jsonb, version = version + 1, updated_at = $3
        WHERE a.id = $1 RETURNING ${COLUMNS}`,
      [albumId, JSON.stringify(document), now],
    );
    if (rows[0] === undefined) throw new Error('album vanished during update');
    return toAlbum(rows[0]);
  },

  async setArchived(
    tx: Queryable,
    albumId: string,
    archivedAt: Date | null,
    now: Date,
  ): Promise<AlbumRecord> {
    const { rows } = await tx.query<AlbumRow>(
      `UPDATE albums a SET archived_at = $2, version = version + 1, updated_at = $3
        WHERE a.id = $1 RETURNING ${COLUMNS}`,
      [albumId, archivedAt, now],
    );
    if (rows[0] === undefined) throw new Error('album vanished during archive');
    return toAlbum(rows[0]);
  },

  /** Soft delete: the album disappears for everyone; retention purges rows and objects later. */
  async softDelete(tx: Queryable, albumId: string, now: Date): Promise<number> {
    const { rows } = await tx.query<{ version: number }>(
      `UPDATE albums SET deleted_at = $2, version = version + 1, updated_at = $2
        WHERE id = $1 AND deleted_at IS NULL RETURNING version`,
      [albumId, now],
    );
    if (rows[0] === undefined) throw new Error('album vanished during delete');
    return rows[0].version;
  },
};
