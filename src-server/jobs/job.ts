import type { JobSchedule } from '../../src-shared/time/jobSchedule.js';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Db } from '../db/db.js';

/** What every job gets; a job creates nothing itself (tests pass a moved clock here). */
export interface JobContext {
  readonly db: Db;
  readonly blobs: BlobStore;
  /** The job's clock: deadlines are computed from it, never from the system time. */
  readonly now: () => Date;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface JobResult {
  /** Rows or objects handled by this run (0 when there was nothing to do). */
  readonly processed: number;
}

/**
 * A named, scheduled piece of work. `run` works in bounded chunks, each committed on its own,
 * and is idempotent: run again after being killed at any point, it finishes the work without
 * doing any of it twice. The runner makes sure one instance at a time runs a job.
 */
export interface Job {
  /** Stable: the lock key, the `jobs run` name and the job_runs row derive from it. */
  readonly name: string;
  readonly schedule: JobSchedule;
  run(ctx: JobContext): Promise<JobResult>;
}
