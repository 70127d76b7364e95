import type { Migration } from './migration.js';
import { init } from './0001_init.js';
import { accounts } from './0002_accounts.js';
import { pipeline } from './0003_pipeline.js';
import { albums } from './0004_albums.js';
import { photos } from './0005_photos.js';
import { jobsNotices } from './0006_jobs_notices.js';

/** Every migration, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  init,
  accounts,
  pipeline,
  albums,
  photos,
  jobsNotices,
];
