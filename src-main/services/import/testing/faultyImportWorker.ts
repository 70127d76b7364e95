/**
 * Test-only import worker: behaves like importWorker except that a file named `crash-*` kills
 * the worker thread and `throw-*` makes the processor throw, so tests can show that one bad
 * worker run fails one file and not the batch.
 */
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { processFile } from '../processFile.js';
import { serveImportWorker } from '../workerProtocol.js';

if (!parentPort) throw new Error('faultyImportWorker runs only as a worker thread');
serveImportWorker(parentPort, async (request, decide) => {
  const name = basename(request.path);
  if (name.startsWith('crash-')) process.exit(70); // in a worker this ends only the thread
  if (name.startsWith('throw-')) throw new Error('injected failure');
  return processFile(request, decide);
});
