/**
 * A desktop core's upload queue in a process of its own, for the kill test: opens the store,
 * signs in, uploads until the queue is empty, and prints every log event and progress event as
 * a JSON line (the parent kills it with SIGKILL when it has seen enough).
 *
 * Env: UPLOAD_CHILD_DB, UPLOAD_CHILD_SERVER, UPLOAD_CHILD_CA (file), UPLOAD_CHILD_LOGIN,
 * UPLOAD_CHILD_PASSWORD.
 */
import { readFileSync } from 'node:fs';
import { createCloudSession } from '../../cloud/cloudSession.js';
import { createHttpsTransport } from '../../cloud/httpsTransport.js';
import { createEventHub } from '../../events/eventHub.js';
import { openLocalStore } from '../../store/openLocalStore.js';
import { memoryTokens } from '../../../testing/cloudFixture.js';
import { createBlobTransfer } from '../blobTransfer.js';
import { createUploadQueue } from '../uploadQueue.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const opened = openLocalStore({ file: env('UPLOAD_CHILD_DB'), now: () => new Date() });
if (!opened.ok) throw new Error(opened.error.message);
const store = opened.value.store;
const ca = readFileSync(env('UPLOAD_CHILD_CA'));
const transport = createHttpsTransport({ baseUrl: env('UPLOAD_CHILD_SERVER'), ca });
const session = createCloudSession({ transport, tokens: memoryTokens() });
await session.signIn(env('UPLOAD_CHILD_LOGIN'), env('UPLOAD_CHILD_PASSWORD'));
const events = createEventHub(() => undefined);
events.subscribe('uploads.progress', (p) => say({ kind: 'progress', ...p }));
const transfer = createBlobTransfer({ ca });
const queue = createUploadQueue({
  store,
  cloud: session,
  transfer,
  events,
  retry: { baseMs: 100, maxMs: 2000 },
  log: (e) => say(e),
});
say({ kind: 'started', queued: store.uploadQueue.count() });
queue.start();
await queue.whenIdle();
await queue.stop();
transfer.close();
transport.close();
store.close();
say({ kind: 'idle' });
