import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventPayload } from '../../src-shared/desktop/contract.js';
import type { Page } from '../../src-shared/model/page.js';
import type { CloudSession } from '../services/cloud/cloudSession.js';
import { createEventHub } from '../services/events/eventHub.js';
import type { LocalStore } from '../services/store/localStore.js';
import { openLocalStore } from '../services/store/openLocalStore.js';
import { createConflictLog, type ConflictLog } from '../services/sync/conflictLog.js';
import { createSyncEngine, type SyncEngine } from '../services/sync/syncEngine.js';

/**
 * A desktop core reduced to what sync needs: its own data directory and store, a signed-in
 * session and a sync engine driven by the caller (`engine.syncNow()`), with the conflicts it
 * reported. For tests and benches of sync between cores.
 */
export interface SyncCore {
  readonly store: LocalStore;
  /** The signed-in user's account row in the store. */
  readonly accountId: number;
  readonly engine: SyncEngine;
  readonly conflicts: EventPayload<'sync.conflicts'>;
  /** The conflicts kept for the designer (what `conflicts.list` answers). */
  readonly conflictLog: ConflictLog;
  /** The album's live page with this id, as the user sees it. */
  page(albumId: string, pageId: string): Page;
  close(): Promise<void>;
}

export async function openSyncCore(input: {
  dir: string;
  serverUrl: string;
  session: CloudSession;
}): Promise<SyncCore> {
  await mkdir(input.dir, { recursive: true });
  const opened = openLocalStore({ file: join(input.dir, 'studio.db'), now: () => new Date() });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value.store;
  const user = input.session.current();
  if (!user) throw new Error('openSyncCore needs a signed-in session');
  const account = store.accounts.upsert({
    serverUrl: input.serverUrl,
    userId: user.id,
    loginId: user.loginId,
    tenantId: user.tenantId ?? '',
    role: user.role,
    displayName: user.displayName,
  });
  const events = createEventHub(() => undefined);
  const conflicts: EventPayload<'sync.conflicts'> = [];
  events.subscribe('sync.conflicts', (c) => conflicts.push(...c));
  const conflictLog = createConflictLog({
    settings: store.settings,
    randomId: () => randomUUID(),
    now: () => new Date(),
  });
  const engine = createSyncEngine({
    store,
    conflicts: conflictLog,
    cloud: input.session,
    accountId: account.id,
    userId: user.id,
    events,
    now: () => new Date(),
    removeFiles: () => Promise.resolve(),
    log: () => undefined,
  });
  return {
    store,
    accountId: account.id,
    engine,
    conflicts,
    conflictLog,
    page(albumId, pageId) {
      const listed = store.pages.list(albumId);
      if (!listed.ok) throw new Error(listed.error.message);
      const found = listed.value.find((p) => p.id === pageId);
      if (!found) throw new Error(`page ${pageId} is not there`);
      return found;
    },
    async close() {
      await engine.stop();
      store.close();
    },
  };
}
