import type { AppError, Result } from '../result.js';
import {
  DESKTOP_METHODS,
  type EventName,
  type EventPayload,
  type MethodArgs,
  type MethodName,
  type MethodResult,
  type ParsedArgs,
} from './contract.js';

/** What the renderer holds: every method as a promise of a Result, and typed subscriptions. */
export type DesktopApi = {
  readonly [M in MethodName]: (args: MethodArgs<M>) => Promise<Result<MethodResult<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** What the Node side implements, once: a missing handler is a compile error. */
export type DesktopHandlers = {
  readonly [M in MethodName]: (args: ParsedArgs<M>) => Promise<MethodResult<M>>;
};

/** An error a handler throws on purpose: its code and message reach the renderer as they are. */
export class DesktopError extends Error implements AppError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DesktopError';
  }
}

const isMethod = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(DESKTOP_METHODS, name);

/**
 * The one entry both transports call with what arrived from the renderer: unknown method,
 * invalid arguments and handler failures all come back as `{ ok: false, error }`. Unexpected
 * errors are reported to `onUnexpected` (the log) and reach the renderer without details.
 */
export async function dispatch(
  handlers: DesktopHandlers,
  method: unknown,
  rawArgs: unknown,
  onUnexpected: (method: string, error: unknown) => void,
): Promise<Result<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'unknown_method', message: 'Unknown desktop API method' } };
  }
  const parsed = DESKTOP_METHODS[method].args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String);
    return {
      ok: false,
      error: {
        code: 'invalid_arguments',
        message: `${path.length > 0 ? path.join('.') : 'arguments'}: ${issue?.message ?? 'invalid'}`,
        path,
      },
    };
  }
  try {
    const handler = handlers[method] as (args: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof DesktopError) {
      return { ok: false, error: { code: error.code, message: error.message } };
    }
    onUnexpected(method, error);
    return { ok: false, error: { code: 'internal_error', message: 'Something went wrong' } };
  }
}
