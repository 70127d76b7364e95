/**
 * A browser host in a process of its own, for the bad-frame test: whether the process survives
 * is the question, so it cannot run inside the test's own process. Prints one JSON line with its
 * URL and origin, then serves until killed. Its only working method is `sync.status`.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesktopHandlers } from '../../../src-shared/desktop/api.js';
import { METHOD_NAMES } from '../../../src-shared/desktop/contract.js';
import { createEventHub } from '../../services/events/eventHub.js';
import { startBrowserHost } from '../browserHost.js';

export const CHILD_SYNC_STATE = {
  connection: 'offline',
  syncing: false,
  pending: 7,
  conflicts: 0,
  lastError: null,
  lastSyncedAt: null,
} as const;

const renderer = await mkdtemp(join(tmpdir(), 'weebum-host-child-'));
await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Weebum Studio</title>');
const unused = () => Promise.reject(new Error('unused'));
const handlers = {
  ...Object.fromEntries(METHOD_NAMES.map((m) => [m, unused])),
  'sync.status': () => Promise.resolve(CHILD_SYNC_STATE),
} as unknown as DesktopHandlers;
const host = await startBrowserHost({
  rendererDir: renderer,
  handlers,
  events: createEventHub(() => undefined),
  thumbnailFile: () => Promise.resolve(null),
  log: (message) => process.stderr.write(`${message}\n`),
});
process.stdout.write(`${JSON.stringify({ url: host.url, origin: host.origin })}\n`);
