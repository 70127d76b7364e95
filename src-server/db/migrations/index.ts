import type { Migration } from './migration.js';
import { init } from './0001_init.js';
import { accounts } from './0002_accounts.js';

/** Every migration, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [init, accounts];
