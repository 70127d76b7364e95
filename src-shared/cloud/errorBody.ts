import { z } from 'zod';

/** The body of every error answer of Weebum Cloud. */
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
