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

/**
 * Appends one change per entity of one album in one statement (a batch of new photos): the
 * counter moves by their number at once and each gets the next number in the order given.
 */
export async function appendChanges(
  tx: Queryable,
  albumId: string,
  entity: ChangeEntity,
  op: ChangeOp,
  changes: readonly { entityId: string; version: number | null }[],
): Promise<void> {
  if (changes.length === 0) return;
  const { rows } = await tx.query<{ seq: string }>(
    `WITH next AS (
       UPDATE album_change_counters SET last_seq = last_seq + $4
        WHERE album_id = $1 RETURNING last_seq
     )
     INSERT INTO album_changes (album_id, seq, entity, entity_id, op, version)
     SELECT $1, next.last_seq - $4 + c.n, $2, c.entity_id, $3, c.version
       FROM next, unnest($5::text[], $6::integer[]) WITH ORDINALITY AS c (entity_id, version, n)
     RETURNING seq`,
    [
      albumId,
      entity,
      op,
      changes.length,
      changes.map((c) => c.entityId),
      changes.map((c) => c.version),
    ],
  );
  if (rows.length !== changes.length) throw new Error(`album ${albumId} has no change counter`);
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
