import type { AppError } from '../../../src-shared/result.js';

/** A stored document no longer passes the src-shared parser (hand-edited file, older bug). */
export const invalidStoredDocument = (where: string, cause: AppError): AppError => ({
  code: 'local_document_invalid',
  message: `The local copy of ${where} is damaged (${cause.message}). / ${where} のローカルコピーが破損しています。`,
});

/** A caller broke the repository's contract: a bug, not a user error. */
export class StoreUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUsageError';
  }
}
