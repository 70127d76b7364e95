/** Errors cross every boundary (IPC, HTTP, WebSocket) as plain data with a stable code. */
export interface AppError {
  readonly code: string;
  readonly message: string;
  /** Path of the offending field, for validation errors. */
  readonly path?: readonly (string | number)[];
}

export type Result<T, E extends AppError = AppError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E extends AppError>(error: E): Result<never, E> => ({ ok: false, error });
