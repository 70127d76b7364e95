import { z } from 'zod';
import { CloudError } from '../../cloud/cloudError.js';
import { toSessionInfo } from '../sessionInfo.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

/** Who was signed in last, so the next start resumes from the keychain without a password. */
const LastSession = z.object({ serverUrl: z.string(), loginId: z.string() });
export const LAST_SESSION = 'session.last';

export function sessionHandlers(ctx: CoreContext): NamespaceHandlers<'session'> {
  const { session, store, events, options } = ctx;
  return {
    async 'session.signIn'({ serverUrl, loginId, password }) {
      // Whoever was signed in stops syncing first: their engine must never run with the next
      // user's tokens, or it would file that user's albums under their own account.
      await session.stopSync();
      const signedIn = session.connect(serverUrl);
      try {
        await signedIn.cloud.signIn(loginId, password);
      } catch (error) {
        if (signedIn.cloud.current()) signedIn.start(); // the previous user carries on
        throw error;
      }
      return signedIn.start();
    },
    async 'session.changePassword'({ currentPassword, newPassword }) {
      const signedIn = ctx.signedIn();
      await signedIn.cloud.changePassword(currentPassword, newPassword);
      return signedIn.start();
    },
    async 'session.signOut'() {
      await session.end({ signOut: true });
      events.emit('session.changed', null);
      return null;
    },
    async 'session.current'() {
      const user = session.current?.cloud.current();
      if (session.current && user) {
        return toSessionInfo(session.current.serverUrl, user, options.credentials.availability);
      }
      const last = store.settings.get(LAST_SESSION, LastSession);
      if (!last) return null;
      const resumed = session.connect(last.serverUrl);
      try {
        const resumedUser = await resumed.cloud.resume(last.loginId);
        return resumedUser ? resumed.start() : null;
      } catch (error) {
        // Offline at start: the user signs in again when the server is back.
        if (error instanceof CloudError) return null;
        throw error;
      }
    },
  };
}
