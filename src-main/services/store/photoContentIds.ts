import type { Database } from 'better-sqlite3';

/**
 * Schema step 3 (decision 17): page elements name photos by content (SHA-256) instead of this
 * computer's row ids, and photos another computer uploaded are kept as `remote` rows.
 *
 * - `photos.origin` and `photos.file_name` (the uploader's file name of a remote photo).
 * - Pages: every reference to a local row id that has a hash becomes the hash, in the local
 *   copy only, and the page is queued for push. The merge base keeps the old ids, as the
 *   server's copy does, so the push (or a merge with the server) carries the new names there.
 * - Every album is listed for a one-time photo backfill (`sync.photoBackfill`, see
 *   sync/feedPull.ts): the feed's photo entries of other computers were skipped before this
 *   step and the cursors are past them.
 */
export function migrateToPhotoContentIds(db: Database, now: () => Date): void {
  db.exec(`
    ALTER TABLE photos ADD COLUMN origin TEXT NOT NULL DEFAULT 'local'
      CHECK (origin IN ('local', 'remote'));
    ALTER TABLE photos ADD COLUMN file_name TEXT;
  `);
  const hashes = new Map<string, string>();
  for (const row of db
    .prepare<[], { id: string; album_id: string; sha256: string }>(
      'SELECT id, album_id, sha256 FROM photos WHERE sha256 IS NOT NULL',
    )
    .all()) {
    hashes.set(`${row.album_id}/${row.id}`, row.sha256);
  }
  const pages = db
    .prepare<[], { album_id: string; page_id: string; local_document: string }>(
      'SELECT album_id, page_id, local_document FROM pages WHERE deleted = 0',
    )
    .all();
  const update = db.prepare(
    'UPDATE pages SET local_document = ?, dirty = 1, updated_at = ? WHERE album_id = ? AND page_id = ?',
  );
  const bump = db.prepare<[], { value: string }>(
    `INSERT INTO meta (key, value) VALUES ('mutation_no', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
     RETURNING value`,
  );
  const queue = db.prepare(
    `INSERT INTO outbox (mutation_no, album_id, page_id, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (album_id, page_id)
     DO UPDATE SET mutation_no = excluded.mutation_no, created_at = excluded.created_at`,
  );
  const at = now().toISOString();
  for (const page of pages) {
    let doc: unknown;
    try {
      doc = JSON.parse(page.local_document);
    } catch {
      continue; // a damaged document is reported when it is read, not here
    }
    const rewritten = renamePhotoRefs(doc, (ref) => hashes.get(`${page.album_id}/${ref}`));
    if (rewritten === null) continue;
    update.run(JSON.stringify(rewritten), at, page.album_id, page.page_id);
    queue.run(Number(bump.get()!.value), page.album_id, page.page_id, at);
  }
  // The setting's key is sync/feedPull.ts's PHOTO_BACKFILL_SETTING (the store may not import sync).
  db.exec(`INSERT INTO settings (key, value)
           SELECT 'sync.photoBackfill', json_group_array(id) FROM albums HAVING count(*) > 0`);
}

/** The document with its photo references renamed, or null when none was. */
export function renamePhotoRefs(
  doc: unknown,
  rename: (ref: string) => string | undefined,
): unknown {
  if (typeof doc !== 'object' || doc === null) return null;
  const page = doc as { background?: unknown; elements?: unknown };
  let changed = false;
  const renamed = (holder: unknown): unknown => {
    const h = holder as { photoId?: unknown } | null;
    if (typeof h !== 'object' || h === null || typeof h.photoId !== 'string') return holder;
    const to = rename(h.photoId);
    if (to === undefined || to === h.photoId) return holder;
    changed = true;
    return { ...h, photoId: to };
  };
  const background = renamed(page.background);
  const elements = Array.isArray(page.elements)
    ? page.elements.map((e: unknown) =>
        (e as { kind?: unknown } | null)?.kind === 'image' ? renamed(e) : e,
      )
    : page.elements;
  return changed ? { ...page, background, elements } : null;
}
