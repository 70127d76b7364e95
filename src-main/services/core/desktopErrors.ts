import { DesktopError, type DesktopHandlers } from '../../../src-shared/desktop/api.js';
import type { MethodName } from '../../../src-shared/desktop/contract.js';
import type { Result } from '../../../src-shared/result.js';
import { CloudError } from '../cloud/cloudError.js';
import { ExportRequestError } from '../export/exportJobs.js';

/**
 * The desktop's one error mapper, the way `src-server/http/errorResponse.ts` is the server's:
 * the services' own errors keep their code and message (the UI translates the code); anything
 * else stays as it is, for `dispatch` to log and hide.
 */
export function toDesktopError(error: unknown): unknown {
  if (error instanceof CloudError || error instanceof ExportRequestError) {
    return new DesktopError(error.code, error.message);
  }
  return error;
}

/** Every handler, with what it throws passed through `toDesktopError`. */
export function mappingErrors(handlers: DesktopHandlers): DesktopHandlers {
  const mapped: Partial<Record<MethodName, (args: never) => Promise<unknown>>> = {};
  for (const method of Object.keys(handlers) as MethodName[]) {
    const handler = handlers[method] as (args: never) => Promise<unknown>;
    mapped[method] = async (args) => {
      try {
        return await handler(args);
      } catch (error) {
        throw toDesktopError(error);
      }
    };
  }
  return mapped as DesktopHandlers;
}

/** A local store read's value; its failure (a stored document that no longer parses) thrown. */
export function valueOf<T>(read: Result<T>): T {
  if (!read.ok) throw new DesktopError(read.error.code, read.error.message);
  return read.value;
}

export const offline = () =>
  new DesktopError('offline', 'This needs a connection to Weebum Cloud (オフラインです)');
export const signedOut = () =>
  new DesktopError('signed_out', 'Sign in first (サインインしてください)');
export const albumNotFound = () =>
  new DesktopError('album_not_found', 'No such album (アルバムが見つかりません)');
export const pageNotFound = () =>
  new DesktopError('page_not_found', 'The page was deleted (このページは削除されました)');
