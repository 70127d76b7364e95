/**
 * When scheduled jobs run, as pure functions of the clock. A schedule has slots (instants); a
 * job runs once per slot, the first time a scheduler sees the slot has begun.
 */
export type JobSchedule =
  | { readonly kind: 'every_minutes'; readonly minutes: number }
  | { readonly kind: 'hourly'; readonly minute: number }
  /** Daily at a fixed Japan time: JST has no daylight saving, so it is UTC+9 all year. */
  | { readonly kind: 'daily_jst'; readonly hour: number; readonly minute: number };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const JST_OFFSET_MS = 9 * HOUR_MS;

/** The latest slot at or before `now`. */
export function currentSlot(schedule: JobSchedule, now: Date): Date {
  const t = now.getTime();
  if (schedule.kind === 'every_minutes') {
    const period = schedule.minutes * 60_000;
    return new Date(Math.floor(t / period) * period);
  }
  if (schedule.kind === 'hourly') {
    const offset = schedule.minute * 60_000;
    return new Date(Math.floor((t - offset) / HOUR_MS) * HOUR_MS + offset);
  }
  // Slots are whole days counted in JST, shifted by the time of day.
  const offset = (schedule.hour * 60 + schedule.minute) * 60_000 - JST_OFFSET_MS;
  return new Date(Math.floor((t - offset) / DAY_MS) * DAY_MS + offset);
}

/** The first slot after `now`. */
export function nextSlot(schedule: JobSchedule, now: Date): Date {
  const period =
    schedule.kind === 'every_minutes'
      ? schedule.minutes * 60_000
      : schedule.kind === 'hourly'
        ? HOUR_MS
        : DAY_MS;
  return new Date(currentSlot(schedule, now).getTime() + period);
}
