import type { Queryable } from '../db/db.js';

export type ChangeEntity = 'album' | 'page' | 'photo' | 'membership';
export type ChangeOp = 'upsert' | 'delete';

export interface Change {
  /** A decimal string: seq is a bigint. */
  readonly seq: string;
  readonly entity: ChangeEntity;
  readonly entityId: string;
  readonly op: ChangeOp;
  readonly version: number | null;
  readonly occurredAt: Date;
}

/** Makes an album's counter row; call in the transaction that creates the album. */
export async function createChangeCounter(tx: Queryable, albumId: string): Promise<void> {
  await tx.query(`INSERT INTO album_change_counters (album_id) VALUES ($1)`, [albumId]);
}

/**
 * Records a change with the album's next sequence number. Must run inside the transaction that
 * makes the change: the counter row stays locked until commit, which is what keeps numbers in
 * commit order (see migration 0004).
 */
export async function appendChange(
  tx: Queryable,
  change: {
    albumId: string;
    entity: ChangeEntity;
    entityId: string;
    op: ChangeOp;
    version?: number;
  },
): Promise<string> {
  // One statement: the counter row is locked from here to commit, so keep that short.
  const { rows } = await tx.query<{ seq: string }>(
    `WITH next AS (
       UPDATE album_change_counters SET last_seq = last_seq + 1
        WHERE album_id = $1 RETURNING last_seq
     )
     INSERT INTO album_changes (album_id, seq, entity, entity_id, op, version)
     SELECT $1, last_seq, $2, $3, $4, $5 FROM next
     RETURNING seq`,
    [change.albumId, change.entity, change.entityId, change.op, change.version ?? null],
  );
  const seq = rows[0]?.seq;
  if (seq === undefined) throw new Error(`album ${change.albumId} has no change counter`);
  return seq;
}

/** Changes after `afterSeq`, in order, at most `limit`. */
export async function readChanges(
  q: Queryable,
  albumId: string,
  afterSeq: string,
  limit: number,
): Promise<Change[]> {
  const { rows } = await q.query<{
    seq: string;
    entity: ChangeEntity;
    entity_id: string;
    op: ChangeOp;
    version: number | null;
    occurred_at: Date;
  }>(
    `SELECT seq, entity, entity_id, op, version, occurred_at FROM album_changes
      WHERE album_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
    [albumId, afterSeq, limit],
  );
  return rows.map((r) => ({
    seq: r.seq,
    entity: r.entity,
    entityId: r.entity_id,
    op: r.op,
    version: r.version,
    occurredAt: r.occurred_at,
  }));
}
