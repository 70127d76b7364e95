import type { Database } from 'better-sqlite3';
import type { Page } from '../../../src-shared/model/page.js';
import { parsePage } from '../../../src-shared/model/parse.js';
import { err, ok, type Result } from '../../../src-shared/result.js';
import { invalidStoredDocument, StoreUsageError } from './storeErrors.js';

export interface PageRecord {
  readonly albumId: string;
  readonly pageId: string;
  /** The user's copy; for a deleted page, its last content. */
  readonly local: Page;
  /** The last server copy, the merge base; null for a page never pushed. */
  readonly base: Page | null;
  readonly serverVersion: number;
  readonly dirty: boolean;
  readonly deleted: boolean;
  /** Mutation number of the pending outbox entry, if the page is dirty. */
  readonly mutationNo: number | null;
}

/** The three sides a merge sees; `base` is null if the page was never pushed. */
export interface MergeSides {
  readonly base: Page | null;
  readonly local: Page;
  readonly remote: Page;
}

export type ApplyRemoteOutcome =
  | 'inserted' /** new to this client */
  | 'replaced' /** clean local copy replaced */
  | 'merged' /** dirty local copy merged; still dirty, base moved to remote */
  | 'undeleted' /** a local deletion lost to a remote edit (report it) */
  | 'stale'; /** remote no newer than the base: ignored */

interface PageRow {
  album_id: string;
  page_id: string;
  local_document: string;
  base_document: string | null;
  server_version: number;
  dirty: number;
  deleted: number;
  mutation_no: number | null;
}

export interface PageRepositoryDeps {
  readonly db: Database;
  readonly now: () => Date;
  readonly nextMutationNo: () => number;
}

export function createPageRepository({ db, now, nextMutationNo }: PageRepositoryDeps) {
  const selectOne = db.prepare<[string, string], PageRow>(
    `SELECT p.album_id, p.page_id, p.local_document, p.base_document, p.server_version, p.dirty,
            p.deleted, o.mutation_no
       FROM pages p LEFT JOIN outbox o ON o.album_id = p.album_id AND o.page_id = p.page_id
      WHERE p.album_id = ? AND p.page_id = ?`,
  );
  const selectLive = db.prepare<[string], { page_id: string; local_document: string }>(
    `SELECT page_id, local_document FROM pages
      WHERE album_id = ? AND deleted = 0 ORDER BY position, page_id`,
  );
  const insertPage = db.prepare(
    `INSERT INTO pages (album_id, page_id, position, local_document, base_document,
                        server_version, dirty, deleted, updated_at)
     VALUES (@albumId, @pageId, @position, @local, @base, @serverVersion, @dirty, @deleted, @at)`,
  );
  const updatePage = db.prepare(
    `UPDATE pages SET position = @position, local_document = @local, base_document = @base,
                      server_version = @serverVersion, dirty = @dirty, deleted = @deleted,
                      updated_at = @at
      WHERE album_id = @albumId AND page_id = @pageId`,
  );
  const upsertOutbox = db.prepare(
    `INSERT INTO outbox (mutation_no, album_id, page_id, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (album_id, page_id)
     DO UPDATE SET mutation_no = excluded.mutation_no, created_at = excluded.created_at`,
  );
  const deleteOutbox = db.prepare('DELETE FROM outbox WHERE album_id = ? AND page_id = ?');
  const deletePage = db.prepare('DELETE FROM pages WHERE album_id = ? AND page_id = ?');

  const at = () => now().toISOString();
  const json = (page: Page) => JSON.stringify(page);
  const row = (albumId: string, pageId: string) => selectOne.get(albumId, pageId);

  /** Stored documents were valid when written; a failure here means the file was damaged. */
  const storedPage = (text: string, where: string): Page => {
    const parsed = parsePage(text);
    if (!parsed.ok) throw new StoredPageError(invalidStoredDocument(where, parsed.error).message);
    return parsed.value;
  };

  const toRecord = (r: PageRow): PageRecord => {
    const where = `page ${r.page_id}`;
    return {
      albumId: r.album_id,
      pageId: r.page_id,
      local: storedPage(r.local_document, where),
      base: r.base_document === null ? null : storedPage(r.base_document, where),
      serverVersion: r.server_version,
      dirty: r.dirty === 1,
      deleted: r.deleted === 1,
      mutationNo: r.mutation_no,
    };
  };

  const checked = (albumId: string, page: Page): Page => {
    const parsed = parsePage(page);
    if (!parsed.ok) throw new StoreUsageError(`refusing to store page: ${parsed.error.message}`);
    if (parsed.value.albumId !== albumId) {
      throw new StoreUsageError(`page ${page.id} belongs to album ${page.albumId}, not ${albumId}`);
    }
    return parsed.value;
  };

  const enqueue = (albumId: string, pageId: string): number => {
    const mutationNo = nextMutationNo();
    upsertOutbox.run(mutationNo, albumId, pageId, at());
    return mutationNo;
  };

  const write = (
    existing: PageRow | undefined,
    p: {
      albumId: string;
      pageId: string;
      local: Page;
      base: Page | null;
      serverVersion: number;
      dirty: boolean;
      deleted: boolean;
    },
  ) => {
    const params = {
      albumId: p.albumId,
      pageId: p.pageId,
      position: p.local.index,
      local: json(p.local),
      base: p.base === null ? null : json(p.base),
      serverVersion: p.serverVersion,
      dirty: p.dirty ? 1 : 0,
      deleted: p.deleted ? 1 : 0,
      at: at(),
    };
    (existing ? updatePage : insertPage).run(params);
  };

  const saveLocal = db.transaction((albumId: string, input: Page): { mutationNo: number } => {
    const page = checked(albumId, input);
    const existing = row(albumId, page.id);
    write(existing, {
      albumId,
      pageId: page.id,
      local: page,
      base: existing?.base_document ? storedPage(existing.base_document, `page ${page.id}`) : null,
      serverVersion: existing?.server_version ?? 0,
      dirty: true,
      deleted: false,
    });
    return { mutationNo: enqueue(albumId, page.id) };
  });

  const deleteLocal = db.transaction(
    (albumId: string, pageId: string): { mutationNo: number } | 'removed' | 'absent' => {
      const existing = row(albumId, pageId);
      if (!existing) return 'absent';
      if (existing.base_document === null) {
        // Never reached the server: nothing to tell it.
        deletePage.run(albumId, pageId);
        return 'removed';
      }
      const record = toRecord(existing);
      write(existing, { ...record, dirty: true, deleted: true });
      return { mutationNo: enqueue(albumId, pageId) };
    },
  );

  const applyRemote = db.transaction(
    (input: Page, merge: (sides: MergeSides) => Page): ApplyRemoteOutcome => {
      const remote = checked(input.albumId, input);
      const existing = row(remote.albumId, remote.id);
      const clean = {
        albumId: remote.albumId,
        pageId: remote.id,
        local: remote,
        base: remote,
        serverVersion: remote.version,
        dirty: false,
        deleted: false,
      };
      if (!existing) {
        write(undefined, clean);
        return 'inserted';
      }
      if (existing.base_document !== null && remote.version <= existing.server_version) {
        return 'stale';
      }
      const record = toRecord(existing);
      if (!record.dirty) {
        write(existing, clean);
        return 'replaced';
      }
      if (record.deleted) {
        // Like an element deleted on one side and edited on the other: the edit is kept.
        write(existing, clean);
        deleteOutbox.run(remote.albumId, remote.id);
        return 'undeleted';
      }
      const merged = checked(remote.albumId, merge({ ...record, remote }));
      write(existing, {
        ...clean,
        local: { ...merged, version: remote.version },
        dirty: true,
      });
      return 'merged';
    },
  );

  /**
   * The server accepted the push of `mutationNo` and now holds `serverPage`. If the user saved
   * again meanwhile, the page stays dirty (based on the new server copy) for the next push.
   */
  const markPushed = db.transaction(
    (
      albumId: string,
      pageId: string,
      pushed: { mutationNo: number; serverPage: Page },
    ): 'clean' | 'still_dirty' | 'absent' => {
      const serverPage = checked(albumId, pushed.serverPage);
      const existing = row(albumId, pageId);
      if (!existing) return 'absent';
      if (serverPage.id !== pageId) throw new StoreUsageError(`pushed page is not ${pageId}`);
      const record = toRecord(existing);
      const current = record.mutationNo === pushed.mutationNo;
      if (current) deleteOutbox.run(albumId, pageId);
      write(existing, {
        ...record,
        local: current ? serverPage : { ...record.local, version: serverPage.version },
        base: serverPage,
        serverVersion: serverPage.version,
        dirty: !current,
      });
      return current ? 'clean' : 'still_dirty';
    },
  );

  /** The server confirmed the deletion pushed as `mutationNo`. */
  const markDeletionPushed = db.transaction(
    (albumId: string, pageId: string, mutationNo: number): 'removed' | 'still_dirty' => {
      const existing = row(albumId, pageId);
      if (!existing) return 'removed';
      if (existing.mutation_no !== mutationNo || existing.deleted !== 1) return 'still_dirty';
      deletePage.run(albumId, pageId);
      return 'removed';
    },
  );

  /** A tombstone from the change feed. A page with unpushed edits is kept for the caller. */
  const applyRemoteDeletion = db.transaction(
    (albumId: string, pageId: string): 'removed' | 'kept_dirty' | 'absent' => {
      const existing = row(albumId, pageId);
      if (!existing) return 'absent';
      if (existing.dirty === 1 && existing.deleted === 0) return 'kept_dirty';
      deletePage.run(albumId, pageId);
      return 'removed';
    },
  );

  const guarded = <T>(fn: () => T): Result<T> => {
    try {
      return ok(fn());
    } catch (error) {
      if (error instanceof StoredPageError) {
        return err({ code: 'local_document_invalid', message: error.message });
      }
      throw error;
    }
  };

  return {
    /** Writes the page locally and queues it for push, in one transaction. */
    saveLocal: (albumId: string, page: Page) => saveLocal(albumId, page),
    deleteLocal: (albumId: string, pageId: string) => deleteLocal(albumId, pageId),
    applyRemote: (remote: Page, merge: (sides: MergeSides) => Page) => applyRemote(remote, merge),
    markPushed: (
      albumId: string,
      pageId: string,
      pushed: { mutationNo: number; serverPage: Page },
    ) => markPushed(albumId, pageId, pushed),
    markDeletionPushed: (albumId: string, pageId: string, mutationNo: number) =>
      markDeletionPushed(albumId, pageId, mutationNo),
    applyRemoteDeletion: (albumId: string, pageId: string) => applyRemoteDeletion(albumId, pageId),
    /** Removes the page and its pending push, whatever its state (the caller decided). */
    purge: (albumId: string, pageId: string) => deletePage.run(albumId, pageId).changes > 0,
    get: (albumId: string, pageId: string): Result<PageRecord | null> =>
      guarded(() => {
        const r = row(albumId, pageId);
        return r ? toRecord(r) : null;
      }),
    /** The album's pages as the user sees them: local copies, not deleted, in order. */
    list: (albumId: string): Result<Page[]> =>
      guarded(() =>
        selectLive.all(albumId).map((r) => storedPage(r.local_document, `page ${r.page_id}`)),
      ),
  };
}

export type PageRepository = ReturnType<typeof createPageRepository>;

class StoredPageError extends Error {}
