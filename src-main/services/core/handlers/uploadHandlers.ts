import type { UploadQueue } from '../../upload/uploadQueue.js';
import { signedOut } from '../desktopErrors.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

export function uploadHandlers(ctx: CoreContext): NamespaceHandlers<'uploads'> {
  function uploads(): UploadQueue {
    const queue = ctx.signedIn().uploads;
    if (!queue) throw signedOut();
    return queue;
  }
  return {
    async 'uploads.status'() {
      return ctx.session.current?.uploads?.status() ?? [];
    },
    async 'uploads.pause'() {
      await uploads().pause();
      return null;
    },
    async 'uploads.resume'() {
      uploads().resume();
      return null;
    },
    async 'uploads.retry'({ photoIds }) {
      uploads().retry(photoIds);
      return null;
    },
  };
}
