import type { Queryable } from '../db/db.js';

/** The only code that reads or writes `album_members`. */
export interface AlbumMember {
  readonly userId: string;
  readonly addedBy: string | null;
  readonly addedAt: Date;
}

interface MemberRow extends Record<string, unknown> {
  user_id: string;
  added_by: string | null;
  added_at: Date;
}

const toMember = (r: MemberRow): AlbumMember => ({
  userId: r.user_id,
  addedBy: r.added_by,
  addedAt: r.added_at,
});

export const albumMemberRepository = {
  /** Members who are live users (deleted accounts drop out of the list). */
  async list(q: Queryable, albumId: string): Promise<AlbumMember[]> {
    const { rows } = await q.query<MemberRow>(
      `SELECT m.user_id, m.added_by, m.added_at FROM album_members m
         JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
        WHERE m.album_id = $1 ORDER BY m.added_at, m.user_id`,
      [albumId],
    );
    return rows.map(toMember);
  },

  async find(q: Queryable, albumId: string, userId: string): Promise<AlbumMember | undefined> {
    const { rows } = await q.query<MemberRow>(
      `SELECT user_id, added_by, added_at FROM album_members
        WHERE album_id = $1 AND user_id = $2`,
      [albumId, userId],
    );
    return rows[0] === undefined ? undefined : toMember(rows[0]);
  },

  /** Undefined when the user was a member already. */
  async add(
    tx: Queryable,
    albumId: string,
    userId: string,
    addedBy: string,
    at: Date,
  ): Promise<AlbumMember | undefined> {
    const { rows } = await tx.query<MemberRow>(
      `INSERT INTO album_members (album_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (album_id, user_id) DO NOTHING RETURNING user_id, added_by, added_at`,
      [albumId, userId, addedBy, at],
    );
    return rows[0] === undefined ? undefined : toMember(rows[0]);
  },

  async remove(tx: Queryable, albumId: string, userId: string): Promise<boolean> {
    const { rowCount } = await tx.query(
      `DELETE FROM album_members WHERE album_id = $1 AND user_id = $2`,
      [albumId, userId],
    );
    return rowCount > 0;
  },
};
