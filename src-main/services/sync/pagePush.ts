import type { Page } from '../../../src-shared/model/page.js';
import { mergePage, type MergeConflict } from '../../../src-shared/merge/mergePage.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { LocalStore } from '../store/localStore.js';
import type { MergeSides } from '../store/pageRepository.js';

/** Pushes and merges rounds before a page is left for the next sync. */
const MAX_ATTEMPTS = 5;

export interface PushReport {
  pushed: number;
  readonly conflicts: { pageId: string; conflict: MergeConflict }[];
  readonly failed: { pageId: string; code: string; message: string }[];
}

interface PageView {
  document: Page;
  version: number;
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

/**
 * Sends an album's pending page changes: new pages are created, edits go with
 * `If-Match` and this client's mutation number (so a retried push is applied once), a 412 is
 * merged with the server's copy and pushed again, deletions are sent as DELETE.
 */
export async function pushAlbum(
  store: LocalStore,
  cloud: CloudSession,
  albumId: string,
): Promise<PushReport> {
  const report: PushReport = { pushed: 0, conflicts: [], failed: [] };
  const base = `/v1/albums/${albumId}/pages`;

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

      if (record.deleted) {
        const res = await cloud.raw('DELETE', `${base}/${record.pageId}`);
        if (res.status < 300 || res.status === 404) {
          store.pages.markDeletionPushed(albumId, record.pageId, mutationNo);
          report.pushed++;
        } else {
          report.failed.push({ pageId: record.pageId, ...errorOf(res.json, res.status) });
        }
        break;
      }

      if (record.base === null) {
        const res = await cloud.raw('POST', base, withVersion(record.local, 0));
        if (res.status === 201 || res.status === 200) {
          const view = res.json as PageView;
          store.pages.markPushed(albumId, record.pageId, {
            mutationNo,
            serverPage: withVersion(view.document, view.version),
          });
          report.pushed++;
          break;
        }
        if (res.status === 409 && attempt < MAX_ATTEMPTS) {
          // Created by an earlier attempt whose answer was lost: merge with what is there.
          const current = await cloud.call<PageView>('GET', `${base}/${record.pageId}`);
          mergeInto(
            store,
            withVersion(current.body.document, current.body.version),
            report.conflicts,
          );
          continue;
        }
        report.failed.push({ pageId: record.pageId, ...errorOf(res.json, res.status) });
        break;
      }

      const res = await cloud.raw('PUT', `${base}/${record.pageId}`, record.local, {
        'if-match': String(record.serverVersion),
        'x-client-id': store.clientId(),
        'x-mutation-no': String(mutationNo),
      });
      if (res.status === 200) {
        const { version } = res.json as { version: number };
        store.pages.markPushed(albumId, record.pageId, {
          mutationNo,
          serverPage: withVersion(record.local, version),
        });
        report.pushed++;
        break;
      }
      if (res.status === 412 && attempt < MAX_ATTEMPTS) {
        const current = (res.json as { current?: PageView }).current;
        if (current) {
          mergeInto(store, withVersion(current.document, current.version), report.conflicts);
          continue;
        }
      }
      report.failed.push({ pageId: record.pageId, ...errorOf(res.json, res.status) });
      break;
    }
  }
  return report;
}

function errorOf(json: unknown, status: number): { code: string; message: string } {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : `http_${status}`,
    message: typeof error?.message === 'string' ? error.message : `The server answered ${status}`,
  };
}
