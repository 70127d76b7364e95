import { PageView, pageApi, pushHeaders } from '../../../src-shared/cloud/pages.js';
import type { Page } from '../../../src-shared/model/page.js';
import { mergePage, type MergeConflict } from '../../../src-shared/merge/mergePage.js';
import { protocolError } from '../cloud/cloudCall.js';
import { CloudError } from '../cloud/cloudError.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { LocalStore } from '../store/localStore.js';
import type { MergeSides } from '../store/pageRepository.js';
import { pageFromView } from './remotePage.js';

/** Pushes and merges rounds before a page is left for the next sync. */
const MAX_ATTEMPTS = 5;

export interface PushReport {
  pushed: number;
  readonly conflicts: { pageId: string; conflict: MergeConflict }[];
  readonly failed: { pageId: string; code: string; message: string }[];
}

const withVersion = (page: Page, version: number): Page => ({ ...page, version });

/**
 * Merges a remote copy into the local store, remembering the conflicts the merge reports (the
 * merged page keeps the remote value for each and stays dirty for the next push).
 */
export function mergeInto(
  store: LocalStore,
  remote: Page,
  conflicts: PushReport['conflicts'],
): void {
  store.pages.applyRemote(remote, (sides: MergeSides) => {
    const merged = mergePage(
      sides.base ?? { ...sides.remote, elements: [] },
      sides.local,
      sides.remote,
    );
    for (const conflict of merged.conflicts) conflicts.push({ pageId: remote.id, conflict });
    return merged.merged;
  });
}

/** An error answer of the server (or a broken one): the page fails, the push goes on. */
const answered = (error: unknown): error is CloudError =>
  error instanceof CloudError && error.status !== 0;

/**
 * Sends an album's pending page changes: new pages are created, edits go with
 * `If-Match` and this client's mutation number (so a retried push is applied once), a 412 is
 * merged with the server's copy and pushed again, deletions are sent as DELETE. No answer at
 * all (offline) ends the push with the error; the sync retries it.
 */
export async function pushAlbum(
  store: LocalStore,
  cloud: Pick<CloudSession, 'call'>,
  albumId: string,
): Promise<PushReport> {
  const report: PushReport = { pushed: 0, conflicts: [], failed: [] };
  const fail = (pageId: string, error: CloudError) =>
    report.failed.push({ pageId, code: error.code, message: error.message });

  for (const entry of store.outbox.list({ albumId })) {
    for (let attempt = 1; ; attempt++) {
      const got = store.pages.get(albumId, entry.pageId);
      if (!got.ok) {
        report.failed.push({ pageId: entry.pageId, ...got.error });
        break;
      }
      const record = got.value;
      if (!record || record.mutationNo === null) break; // pushed or purged meanwhile
      const mutationNo = record.mutationNo;
      const params = { albumId, pageId: record.pageId };

      if (record.deleted) {
        try {
          await cloud.call(pageApi.remove, { params });
        } catch (error) {
          if (!answered(error)) throw error;
          // Already gone on the server: the deletion is done all the same.
          if (error.status !== 404) {
            fail(record.pageId, error);
            break;
          }
        }
        store.pages.markDeletionPushed(albumId, record.pageId, mutationNo);
        report.pushed++;
        break;
      }

      if (record.base === null) {
        try {
          const view = await cloud.call(pageApi.create, {
            params: { albumId },
            body: withVersion(record.local, 0),
          });
          store.pages.markPushed(albumId, record.pageId, {
            mutationNo,
            serverPage: pageFromView(view, pageApi.create, 201),
          });
          report.pushed++;
          break;
        } catch (error) {
          if (!answered(error)) throw error;
          if (error.status === 409 && attempt < MAX_ATTEMPTS) {
            // Created by an earlier attempt whose answer was lost: merge with what is there.
            const current = await cloud.call(pageApi.get, { params });
            mergeInto(store, pageFromView(current, pageApi.get), report.conflicts);
            continue;
          }
          fail(record.pageId, error);
          break;
        }
      }

      try {
        const { version } = await cloud.call(pageApi.put, {
          params,
          body: record.local,
          headers: pushHeaders({
            baseVersion: record.serverVersion,
            clientId: store.clientId(),
            mutationNo,
          }),
        });
        store.pages.markPushed(albumId, record.pageId, {
          mutationNo,
          serverPage: withVersion(record.local, version),
        });
        report.pushed++;
        break;
      } catch (error) {
        if (!answered(error)) throw error;
        if (error.status === 412 && attempt < MAX_ATTEMPTS && error.details.current !== undefined) {
          const current = conflictCopy(error);
          if (!(current instanceof CloudError)) {
            mergeInto(store, current, report.conflicts);
            continue;
          }
          fail(record.pageId, current);
          break;
        }
        fail(record.pageId, error);
        break;
      }
    }
  }
  return report;
}

/** The server's copy a 412 carries (a PageView), or why it is not one. */
function conflictCopy(error: CloudError): Page | CloudError {
  const view = PageView.safeParse(error.details.current);
  if (!view.success) {
    return protocolError(pageApi.put, error.status, 'a conflict whose current copy is no page');
  }
  try {
    return pageFromView(view.data, pageApi.put, error.status);
  } catch (broken) {
    if (broken instanceof CloudError) return broken;
    throw broken;
  }
}
