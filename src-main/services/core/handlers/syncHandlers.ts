import { CloudError } from '../../cloud/cloudError.js';
import { offline, signedOut } from '../desktopErrors.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

export function syncHandlers(ctx: CoreContext): NamespaceHandlers<'sync'> {
  const { session, store, conflicts } = ctx;
  return {
    async 'sync.status'() {
      return (
        session.current?.engine?.state() ?? {
          connection: session.current ? 'online' : 'signed-out',
          syncing: false,
          pending: store.outbox.count(),
          conflicts: conflicts.count(),
          lastError: null,
          lastSyncedAt: null,
        }
      );
    },
    async 'sync.now'() {
      const engine = ctx.signedIn().engine;
      if (!engine) throw signedOut();
      try {
        await engine.syncNow();
      } catch (error) {
        // A round asked for by the user while offline says so, whatever the network said.
        if (error instanceof CloudError && error.status === 0) throw offline();
        throw error;
      }
      return null;
    },
  };
}

export function conflictHandlers(ctx: CoreContext): NamespaceHandlers<'conflicts'> {
  const { conflicts, events } = ctx;
  return {
    async 'conflicts.list'({ albumId }) {
      return conflicts.list(albumId);
    },
    async 'conflicts.dismiss'({ ids }) {
      conflicts.dismiss(ids);
      const engine = ctx.session.current?.engine;
      if (engine) events.emit('sync.state', engine.state());
      return null;
    },
  };
}
