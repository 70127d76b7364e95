/**
 * Messages between the import pool (main thread) and an import worker. One file per task;
 * the worker stops after hashing to ask whether the album already has the file.
 */
import type { MessagePort } from 'node:worker_threads';
import { errorMessage } from './errorMessage.js';
import type { DecideAfterHash, ProcessFileOutcome, ProcessFileRequest } from './processFile.js';

export type ToWorker =
  | { readonly type: 'process'; readonly taskId: number; readonly request: ProcessFileRequest }
  | { readonly type: 'decision'; readonly taskId: number; readonly proceed: boolean };

export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'hashed';
      readonly taskId: number;
      readonly sha256: string;
      readonly byteSize: number;
    }
  | { readonly type: 'result'; readonly taskId: number; readonly outcome: ProcessFileOutcome };

export type FileProcessor = (
  request: ProcessFileRequest,
  decide: DecideAfterHash,
) => Promise<ProcessFileOutcome>;

/** Runs in the worker: answers `process` messages with `processor`, then says it is ready. */
export function serveImportWorker(port: MessagePort, processor: FileProcessor): void {
  const decisions = new Map<number, (proceed: boolean) => void>();
  const send = (message: FromWorker) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'decision') {
      decisions.get(message.taskId)?.(message.proceed);
      decisions.delete(message.taskId);
      return;
    }
    const { taskId, request } = message;
    const decide: DecideAfterHash = (sha256, byteSize) =>
      new Promise<boolean>((resolve) => {
        decisions.set(taskId, resolve);
        send({ type: 'hashed', taskId, sha256, byteSize });
      });
    processor(request, decide)
      .catch((error: unknown): ProcessFileOutcome => ({
        kind: 'failed',
        reason: 'internal_error',
        message: errorMessage(error),
        sha256: null,
        byteSize: null,
      }))
      .then((outcome) => send({ type: 'result', taskId, outcome }))
      .catch(() => undefined);
  });
  send({ type: 'ready' });
}
