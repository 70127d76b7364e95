import { cleanupStaleUploadsJob } from '../photos/cleanupStaleUploads.js';
import { expirePhotosJob } from '../retention/expirePhotos.js';
import { purgeAccessLogJob } from '../retention/purgeAccessLog.js';
import { purgeEndedTenantsJob } from '../retention/purgeEndedTenants.js';
import type { Job } from './job.js';

/**
 * Every job `serve` schedules and `weebum-server jobs run` knows, in the order a tick runs
 * them. `extra` adds jobs defined elsewhere (the backup job) without this module knowing them.
 */
export function serverJobs(extra: readonly Job[] = []): readonly Job[] {
  return [
    purgeAccessLogJob(),
    cleanupStaleUploadsJob(),
    expirePhotosJob(),
    purgeEndedTenantsJob(),
    ...extra,
  ];
}
