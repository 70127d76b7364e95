import { currentSlot } from '../../src-shared/time/jobSchedule.js';
import type { Queryable } from '../db/db.js';
import type { Job, JobContext, JobResult } from './job.js';
import { withJobLock } from './jobLock.js';

export type JobRunOutcome =
  | { readonly status: 'done'; readonly processed: number }
  /** Another runner holds the job's lock: it is doing the work. */
  | { readonly status: 'busy' }
  /** The slot was already run (by this or another instance). */
  | { readonly status: 'already_done' };

async function lastSlot(q: Queryable, name: string): Promise<Date | null> {
  const { rows } = await q.query<{ last_slot: Date | null }>(
    'SELECT last_slot FROM job_runs WHERE name = $1',
    [name],
  );
  return rows[0]?.last_slot ?? null;
}

async function recordRun(
  q: Queryable,
  run: {
    name: string;
    slot: Date | null;
    startedAt: Date;
    finishedAt: Date;
    outcome: 'success' | 'failure';
    processed: number | null;
    error: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO job_runs
       (name, last_slot, last_started_at, last_finished_at, last_outcome, last_processed, last_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (name) DO UPDATE SET
       last_slot = coalesce(EXCLUDED.last_slot, job_runs.last_slot),
       last_started_at = EXCLUDED.last_started_at,
       last_finished_at = EXCLUDED.last_finished_at,
       last_outcome = EXCLUDED.last_outcome,
       last_processed = EXCLUDED.last_processed,
       last_error = EXCLUDED.last_error`,
    [run.name, run.slot, run.startedAt, run.finishedAt, run.outcome, run.processed, run.error],
  );
}

/**
 * Runs a job under its lock. With `slot`, the run counts for that schedule slot: skipped if the
 * slot is already done, and marked done only on success (a failed slot is retried at the next
 * tick). Without, it is a manual run (`weebum-server jobs run`). The error of a failed run is
 * recorded (message only: jobs never put personal data in errors) and thrown again.
 */
export async function runJob(
  job: Job,
  ctx: JobContext,
  options: { slot?: Date } = {},
): Promise<JobRunOutcome> {
  const { db } = ctx;
  const locked = await withJobLock(db, job.name, async (): Promise<JobRunOutcome> => {
    const slot = options.slot ?? null;
    if (slot !== null) {
      const last = await lastSlot(db, job.name);
      if (last !== null && last.getTime() >= slot.getTime()) return { status: 'already_done' };
    }
    const startedAt = ctx.now();
    let result: JobResult;
    try {
      result = await job.run(ctx);
    } catch (error) {
      await recordRun(db, {
        name: job.name,
        slot: null,
        startedAt,
        finishedAt: ctx.now(),
        outcome: 'failure',
        processed: null,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    await recordRun(db, {
      name: job.name,
      slot,
      startedAt,
      finishedAt: ctx.now(),
      outcome: 'success',
      processed: result.processed,
      error: null,
    });
    return { status: 'done', processed: result.processed };
  });
  return locked.acquired ? locked.value : { status: 'busy' };
}

/** The registered jobs by name; a name may be registered once. */
export function jobRegistry(jobs: readonly Job[]): ReadonlyMap<string, Job> {
  const byName = new Map<string, Job>();
  for (const job of jobs) {
    if (byName.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    byName.set(job.name, job);
  }
  return byName;
}

/**
 * The scheduler inside `serve`: every tick, each job whose current slot has not been run is run
 * (one job at a time, in registration order). Every instance runs one; the job locks and the
 * recorded slots make each slot's work happen once.
 */
export function createJobScheduler(deps: {
  jobs: readonly Job[];
  context: JobContext;
  tickMs?: number;
}) {
  const { context } = deps;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  async function tick(): Promise<void> {
    for (const job of deps.jobs) {
      if (stopped) return;
      try {
        const outcome = await runJob(job, context, {
          slot: currentSlot(job.schedule, context.now()),
        });
        if (outcome.status === 'done' && outcome.processed > 0) {
          context.log('job finished', { job: job.name, processed: outcome.processed });
        }
      } catch (error) {
        context.log('job failed; it is retried at the next tick', {
          job: job.name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  function schedule(): void {
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = null;
        if (!stopped) schedule();
      });
    }, deps.tickMs ?? 60_000);
    timer.unref();
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      running = tick().finally(() => {
        running = null;
        if (!stopped) schedule();
      });
    },
    /** Stops ticking and waits for the job running now (its chunk commits or rolls back). */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type JobScheduler = ReturnType<typeof createJobScheduler>;
