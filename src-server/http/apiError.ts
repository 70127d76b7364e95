/** An error the client may see as-is: a stable code and a message safe to show. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly path?: readonly (string | number)[],
    /** The server's current copy, sent with 412 `version_conflict` so the client can merge. */
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
