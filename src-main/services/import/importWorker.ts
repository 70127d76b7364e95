/** Entry of an import worker thread (started by importWorkerPool). */
import { parentPort } from 'node:worker_threads';
import { processFile } from './processFile.js';
import { serveImportWorker } from './workerProtocol.js';

if (!parentPort) throw new Error('importWorker runs only as a worker thread');
serveImportWorker(parentPort, processFile);
