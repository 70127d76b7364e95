import type { Db, Queryable } from '../db/db.js';
import type { Page } from '../../src-shared/model/page.js';
import { appendChange } from '../albums/changeFeed.js';

export interface StoredPage {
  readonly document: Page;
  readonly version: number;
}

export type PutPageOutcome =
  | { readonly kind: 'stored'; readonly version: number }
  /** The same client and mutation number was applied before: answered, not applied again. */
  | { readonly kind: 'replayed'; readonly version: number }
  | { readonly kind: 'stale'; readonly current: StoredPage }
  | { readonly kind: 'not_found' }
  /** The client sent one mutation number for two different pages: a client bug, refused. */
  | { readonly kind: 'mutation_reused' };

export interface PagePush {
  readonly albumId: string;
  readonly pageId: string;
  /** The server version the client's copy is based on (If-Match). */
  readonly ifMatch: number;
  /** Validated with the src-shared schema by the caller. */
  readonly document: Page;
  readonly clientId: string;
  readonly mutationNo: number;
  readonly userId: string | null;
}

/** The stored document always carries the server's version and identity, whatever was sent. */
const normalise = (doc: Page, albumId: string, version: number): Page => ({
  ...doc,
  albumId,
  version,
});

export async function getPage(
  q: Queryable,
  albumId: string,
  pageId: string,
): Promise<StoredPage | null> {
  const { rows } = await q.query<{ document: Page; version: number }>(
    `SELECT document, version FROM pages
      WHERE album_id = $1 AND id = $2 AND deleted_at IS NULL`,
    [albumId, pageId],
  );
  const row = rows[0];
  return row ? { document: row.document, version: row.version } : null;
}

export async function listPages(q: Queryable, albumId: string): Promise<StoredPage[]> {
  const { rows } = await q.query<{ document: Page; version: number }>(
    `SELECT document, version FROM pages
      WHERE album_id = $1 AND deleted_at IS NULL ORDER BY position, id`,
    [albumId],
  );
  return rows.map((r) => ({ document: r.document, version: r.version }));
}

/** Creates a page at version 1; a page id already used in the album is refused (null). */
export async function createPage(
  db: Db,
  albumId: string,
  document: Page,
  userId: string | null,
): Promise<StoredPage | null> {
  return db.transaction(async (tx) => {
    const stored = normalise(document, albumId, 1);
    const { rowCount } = await tx.query(
      `INSERT INTO pages (album_id, id, position, version, document, updated_by)
       VALUES ($1, $2, $3, 1, $4::jsonb, $5) ON CONFLICT (album_id, id) DO NOTHING`,
      [albumId, document.id, document.index, JSON.stringify(stored), userId],
    );
    if (rowCount === 0) return null;
    await appendChange(tx, {
      albumId,
      entity: 'page',
      entityId: document.id,
      op: 'upsert',
      version: 1,
    });
    return { document: stored, version: 1 };
  });
}

/**
 * Optimistic concurrency: stores the page only if the client's base version is the current
 * one. The page row is locked for the check, so two pushes with the same base cannot both win.
 */
export async function putPage(db: Db, push: PagePush): Promise<PutPageOutcome> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ document: Page; version: number }>(
      `SELECT document, version FROM pages
        WHERE album_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`,
      [push.albumId, push.pageId],
    );
    // Checked under the page lock: a retry racing its original sees the original's result.
    const previous = await tx.query<{ result_version: number; page_id: string; album_id: string }>(
      `SELECT result_version, page_id, album_id FROM page_mutations
        WHERE client_id = $1 AND mutation_no = $2`,
      [push.clientId, push.mutationNo],
    );
    const replay = previous.rows[0];
    if (replay) {
      return replay.page_id === push.pageId && replay.album_id === push.albumId
        ? { kind: 'replayed', version: replay.result_version }
        : { kind: 'mutation_reused' };
    }
    const current = rows[0];
    if (!current) return { kind: 'not_found' };
    if (current.version !== push.ifMatch) {
      return { kind: 'stale', current: { document: current.document, version: current.version } };
    }
    const version = current.version + 1;
    const stored = normalise(push.document, push.albumId, version);
    await tx.query(
      `UPDATE pages SET document = $3::jsonb, version = $4, position = $5, updated_by = $6,
              updated_at = now()
        WHERE album_id = $1 AND id = $2`,
      [push.albumId, push.pageId, JSON.stringify(stored), version, stored.index, push.userId],
    );
    await tx.query(
      `INSERT INTO page_mutations (client_id, mutation_no, album_id, page_id, result_version)
       VALUES ($1, $2, $3, $4, $5)`,
      [push.clientId, push.mutationNo, push.albumId, push.pageId, version],
    );
    await appendChange(tx, {
      albumId: push.albumId,
      entity: 'page',
      entityId: push.pageId,
      op: 'upsert',
      version,
    });
    return { kind: 'stored', version };
  });
}

/** Soft delete with a tombstone in the feed; false when there was no such live page. */
export async function deletePage(db: Db, albumId: string, pageId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ version: number }>(
      `UPDATE pages SET deleted_at = now(), version = version + 1
        WHERE album_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING version`,
      [albumId, pageId],
    );
    const row = rows[0];
    if (!row) return false;
    await appendChange(tx, {
      albumId,
      entity: 'page',
      entityId: pageId,
      op: 'delete',
      version: row.version,
    });
    return true;
  });
}

export type ReorderOutcome =
  | { readonly kind: 'reordered'; readonly pages: StoredPage[] }
  /** The order did not name every live page exactly once. */
  | { readonly kind: 'order_mismatch' };

/**
 * Sets every live page's position from `order` (page ids, first to last) in one transaction.
 * A page whose index changes gets a new version and a feed entry, like any other edit.
 */
export async function reorderPages(
  db: Db,
  albumId: string,
  order: readonly string[],
  userId: string | null,
): Promise<ReorderOutcome> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; document: Page; version: number }>(
      `SELECT id, document, version FROM pages
        WHERE album_id = $1 AND deleted_at IS NULL ORDER BY id FOR UPDATE`,
      [albumId],
    );
    const live = new Map(rows.map((r) => [r.id, r]));
    if (order.length !== live.size || new Set(order).size !== order.length) {
      return { kind: 'order_mismatch' };
    }
    if (order.some((id) => !live.has(id))) return { kind: 'order_mismatch' };
    const pages: StoredPage[] = [];
    for (const [index, id] of order.entries()) {
      const row = live.get(id) as { id: string; document: Page; version: number };
      if (row.document.index === index) {
        pages.push({ document: row.document, version: row.version });
        continue;
      }
      const version = row.version + 1;
      const stored = normalise({ ...row.document, index }, albumId, version);
      await tx.query(
        `UPDATE pages SET document = $3::jsonb, version = $4, position = $5, updated_by = $6,
                updated_at = now()
          WHERE album_id = $1 AND id = $2`,
        [albumId, id, JSON.stringify(stored), version, index, userId],
      );
      await appendChange(tx, { albumId, entity: 'page', entityId: id, op: 'upsert', version });
      pages.push({ document: stored, version });
    }
    return { kind: 'reordered', pages };
  });
}

/** Live pages among `pageIds`, for the change feed. */
export async function getPagesByIds(
  q: Queryable,
  albumId: string,
  pageIds: readonly string[],
): Promise<Map<string, StoredPage>> {
  if (pageIds.length === 0) return new Map();
  const { rows } = await q.query<{ id: string; document: Page; version: number }>(
    `SELECT id, document, version FROM pages
      WHERE album_id = $1 AND id = ANY($2::text[]) AND deleted_at IS NULL`,
    [albumId, [...pageIds]],
  );
  return new Map(rows.map((r) => [r.id, { document: r.document, version: r.version }]));
}
