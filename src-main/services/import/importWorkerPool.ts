/**
 * A small pool of import worker threads, one file per worker at a time. A worker that dies
 * (crash, out of memory) fails only the file it held; a new worker takes its place.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
// sharp must be loaded by the main thread before any worker loads it (glibc Linux: otherwise
// its shared libraries can be unloaded when a worker exits). See sharp's install docs.
import 'sharp';
import { errorMessage } from './errorMessage.js';
import type { DecideAfterHash, ProcessFileOutcome, ProcessFileRequest } from './processFile.js';
import type { FromWorker, ToWorker } from './workerProtocol.js';

export interface ImportWorkerPool {
  readonly size: number;
  /** Resolves once every worker has loaded (tasks wait for it anyway). */
  ready(): Promise<void>;
  process(request: ProcessFileRequest, decide: DecideAfterHash): Promise<ProcessFileOutcome>;
  close(): Promise<void>;
}

export interface ImportWorkerPoolOptions {
  /** Default: one per core, at most 4 (libuv's default thread pool runs 4 sharp jobs at once). */
  readonly size?: number;
  /** Worker entry module. Default: importWorker next to this file. */
  readonly entry?: URL;
}

export const defaultImportWorkers = (): number => Math.max(1, Math.min(availableParallelism(), 4));

interface Task {
  readonly taskId: number;
  readonly request: ProcessFileRequest;
  readonly decide: DecideAfterHash;
  readonly resolve: (outcome: ProcessFileOutcome) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  lastError: unknown;
}

/** Consecutive workers that die before loading: then the entry itself is broken. */
const MAX_STARTUP_FAILURES = 3;

export function createImportWorkerPool(options: ImportWorkerPoolOptions = {}): ImportWorkerPool {
  const size = options.size ?? defaultImportWorkers();
  const entry = options.entry ?? defaultEntry();
  const queue: Task[] = [];
  const readyWaiters: (() => void)[] = [];
  let nextTaskId = 1;
  let closing = false;
  let startupFailures = 0;
  let broken: string | null = null;

  const internalError = (message: string): ProcessFileOutcome => ({
    kind: 'failed',
    reason: 'internal_error',
    message,
    sha256: null,
    byteSize: null,
  });

  const dispatch = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.task || queue.length === 0) continue;
      const task = queue.shift()!;
      slot.task = task;
      const message: ToWorker = { type: 'process', taskId: task.taskId, request: task.request };
      slot.worker.postMessage(message);
    }
  };

  const spawn = (slot: Slot) => {
    const worker = startWorker(entry);
    slot.worker = worker;
    slot.ready = false;
    slot.lastError = null;
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        slot.ready = true;
        startupFailures = 0;
        if (slots.every((s) => s.ready)) readyWaiters.splice(0).forEach((wake) => wake());
        dispatch();
      } else if (message.type === 'hashed') {
        const task = slot.task;
        if (task?.taskId !== message.taskId) return;
        void Promise.resolve()
          .then(() => task.decide(message.sha256, message.byteSize))
          .catch(() => false)
          .then((proceed) => {
            const reply: ToWorker = { type: 'decision', taskId: task.taskId, proceed };
            if (slot.task === task) worker.postMessage(reply);
          });
      } else if (slot.task?.taskId === message.taskId) {
        const task = slot.task;
        slot.task = null;
        task.resolve(message.outcome);
        dispatch();
      }
    });
    worker.on('error', (error) => {
      slot.lastError = error;
    });
    worker.on('exit', (code) => {
      if (closing) return;
      const task = slot.task;
      slot.task = null;
      const why = slot.lastError ? errorMessage(slot.lastError) : `exit code ${code}`;
      task?.resolve(internalError(`the import worker stopped: ${why}`));
      if (!slot.ready && ++startupFailures >= MAX_STARTUP_FAILURES) {
        broken = `import workers cannot start: ${why}`;
        queue.splice(0).forEach((t) => t.resolve(internalError(broken!)));
        readyWaiters.splice(0).forEach((wake) => wake());
        return;
      }
      spawn(slot);
    });
  };

  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot = { ready: false, task: null, lastError: null } as unknown as Slot;
    spawn(slot);
    return slot;
  });

  return {
    size,
    ready: () =>
      broken || slots.every((s) => s.ready)
        ? Promise.resolve()
        : new Promise<void>((wake) => readyWaiters.push(wake)),
    process(request, decide) {
      if (closing) return Promise.resolve(internalError('the import pool is closed'));
      if (broken) return Promise.resolve(internalError(broken));
      return new Promise<ProcessFileOutcome>((resolve) => {
        queue.push({ taskId: nextTaskId++, request, decide, resolve });
        dispatch();
      });
    },
    async close() {
      closing = true;
      queue.splice(0).forEach((t) => t.resolve(internalError('the import pool is closed')));
      for (const slot of slots) {
        slot.task?.resolve(internalError('the import pool is closed'));
        slot.task = null;
      }
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

function defaultEntry(): URL {
  // Under tsx or vitest this module is TypeScript; a bundle ships importWorker.js beside it.
  const typescript = import.meta.url.endsWith('.ts');
  return new URL(typescript ? './importWorker.ts' : './importWorker.js', import.meta.url);
}

/**
 * TypeScript entries (development, tests) load through tsx's ESM hooks registered inside the
 * worker (Node 20 ignores `--import tsx` in a worker's execArgv, and tsx's plain loader
 * registers itself only on the main thread).
 */
const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.entry); });
`;

function startWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  return new Worker(TYPESCRIPT_BOOTSTRAP, {
    eval: true,
    workerData: { entry: entry.href, tsxApi: tsxEsmApi() },
  });
}

/** File URL of tsx's `tsx/esm/api` (import condition), read from its package exports. */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require('tsx/package.json') as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return pathToFileURL(join(dirname(manifest), exports['./esm/api'].import.default)).href;
}
