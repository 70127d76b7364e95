import { cleanupStaleUploadsJob } from '../photos/cleanupStaleUploads.js';
import { expirePhotosJob } from '../retention/expirePhotos.js';
import { purgeAccessLogJob } from '../retention/purgeAccessLog.js';
import { purgeDeletedAlbumsJob } from '../retention/purgeDeletedAlbums.js';
import { purgeEndedTenantsJob } from '../retention/purgeEndedTenants.js';
import type { FieldCipher } from '../crypto/fieldCipher.js';
import { deadlineNoticesJob } from '../notices/deadlineNotices.js';
import type { Mailer } from '../notices/mailer.js';
import { sendNoticesJob } from '../notices/sendNotices.js';
import type { Job } from './job.js';

/**
 * Every job `serve` schedules and `weebum-server jobs run` knows, in the order a tick runs
 * them. `extra` adds jobs defined elsewhere (the backup job) without this module knowing them.
 */
export function serverJobs(deps: {
  cipher: FieldCipher;
  mailer: Mailer;
  extra?: readonly Job[];
}): readonly Job[] {
  return [
    sendNoticesJob({ cipher: deps.cipher, mailer: deps.mailer }),
    purgeAccessLogJob(),
    cleanupStaleUploadsJob(),
    deadlineNoticesJob(),
    expirePhotosJob(),
    purgeDeletedAlbumsJob(),
    purgeEndedTenantsJob(),
    ...(deps.extra ?? []),
  ];
}
