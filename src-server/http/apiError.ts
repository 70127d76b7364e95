import { z } from 'zod';

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

/** The body of every error response. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Where in the request the first bad value is, for validation errors. */
    path: z.array(z.union([z.string(), z.number()])).optional(),
  }),
  /** 412 `version_conflict` only: the server's current copy of what the client tried to change. */
  current: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
