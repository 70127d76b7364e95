/** The message of anything thrown, for logs and failure details. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
