import type { Db } from '../db/db.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Job } from '../jobs/job.js';
import { runBackupJob } from './backupService.js';
import type { BackupSource } from './databaseDump.js';

/**
 * The daily backup (P10) at 02:30 JST, before the retention jobs at 03:00: a new encrypted
 * backup first, then the ones older than 7 days deleted (audited). Killed mid-way it leaves no
 * half backup under a backup key (the blob store writes whole objects), and the next slot runs
 * it again.
 */
export function backupJob(deps: { keyring: Keyring; sourceFor: (db: Db) => BackupSource }): Job {
  return {
    name: 'backup',
    schedule: { kind: 'daily_jst', hour: 2, minute: 30 },
    async run(ctx) {
      const { deleted } = await runBackupJob({
        db: ctx.db,
        blobs: ctx.blobs,
        keyring: deps.keyring,
        source: deps.sourceFor(ctx.db),
        now: ctx.now(),
      });
      ctx.log('backup stored', { deleted: deleted.length });
      return { processed: 1 + deleted.length };
    },
  };
}
