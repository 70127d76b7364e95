import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the global setup started, for the tests: the studio's address (with its token), the
 * cloud's address and CA, and the bootstrapped operator's temporary password.
 */
export interface E2eStack {
  readonly studioUrl: string;
  readonly cloudUrl: string;
  /** PEM of the cloud's development CA. */
  readonly caPem: string;
  readonly operator: { readonly loginId: string; readonly temporaryPassword: string };
}

export const STACK_FILE = join('test-results', 'e2e-stack.json');

export function readStack(): E2eStack {
  return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as E2eStack;
}
