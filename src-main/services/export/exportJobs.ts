import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import type { ExportProgressEvent } from '../../../src-shared/desktop/contract.js';
import {
  ExportCancelledError,
  ExportInputError,
  exportPdf,
  type ExportPdfInput,
} from './exportPdf.js';

export class ExportRequestError extends Error {
  constructor(
    readonly code: 'export_destination_invalid' | 'export_not_found',
    message: string,
  ) {
    super(message);
  }
}

/** Refuses a destination that is not an absolute path to a .pdf file in an existing folder. */
export async function checkDestination(path: string): Promise<void> {
  const invalid = (why: string) =>
    new ExportRequestError('export_destination_invalid', `${why} (保存先が正しくありません)`);
  if (!isAbsolute(path) || !/\.pdf$/i.test(path)) {
    throw invalid('The destination must be an absolute path ending in .pdf');
  }
  const folder = await stat(dirname(path)).catch(() => null);
  if (!folder?.isDirectory()) throw invalid('The destination folder does not exist');
  const existing = await stat(path).catch(() => null);
  if (existing && !existing.isFile()) throw invalid('The destination is not a file');
}

type JobInput = Omit<ExportPdfInput, 'onProgress' | 'signal'> & { readonly albumId: string };

/**
 * Running exports: each runs in the background, reports progress (and its end) through `emit`,
 * and can be cancelled by id. A finished job is forgotten.
 */
export function createExportJobs(deps: {
  emit: (progress: ExportProgressEvent) => void;
  log: (message: string, error?: unknown) => void;
}) {
  const running = new Map<string, AbortController>();

  return {
    start(input: JobInput): { exportId: string; finished: Promise<void> } {
      const exportId = randomUUID();
      const controller = new AbortController();
      running.set(exportId, controller);
      const base = {
        exportId,
        albumId: input.albumId,
        destinationPath: input.destinationPath,
      };
      let last = { done: 0, total: 0 };
      const finished = exportPdf({
        ...input,
        signal: controller.signal,
        onProgress: (p) => {
          last = p;
          deps.emit({ ...base, ...p, state: 'running', placeholders: 0, error: null });
        },
      })
        .then((result) => {
          deps.emit({
            ...base,
            done: result.sheets,
            total: result.sheets,
            state: 'done',
            placeholders: result.placeholders,
            error: null,
          });
        })
        .catch((error: unknown) => {
          const cancelled = error instanceof ExportCancelledError;
          if (!cancelled && !(error instanceof ExportInputError)) deps.log('export failed', error);
          deps.emit({
            ...base,
            ...last,
            state: cancelled ? 'cancelled' : 'failed',
            placeholders: 0,
            error: cancelled
              ? null
              : error instanceof ExportInputError
                ? { code: error.code, message: error.message }
                : {
                    code: 'export_failed',
                    message: `The PDF could not be written: ${error instanceof Error ? error.message : String(error)} (PDF を書き出せませんでした)`,
                  },
          });
        })
        .finally(() => running.delete(exportId));
      return { exportId, finished };
    },
    cancel(exportId: string): void {
      const controller = running.get(exportId);
      if (!controller) {
        throw new ExportRequestError('export_not_found', 'No such export is running');
      }
      controller.abort();
    },
    /** Cancels every export and waits for none: each removes its own temporary file. */
    cancelAll(): void {
      for (const controller of running.values()) controller.abort();
    },
  };
}

export type ExportJobs = ReturnType<typeof createExportJobs>;
