/**
 * The white paper's deadlines as pure functions of stored UTC timestamps, so a test moves the
 * clock instead of waiting, and server, jobs and UI compute the same dates.
 */
const DAY_MS = 86_400_000;

export const addDays = (instant: Date, days: number): Date =>
  new Date(instant.getTime() + days * DAY_MS);

/**
 * Calendar months in UTC; a day that does not exist in the target month falls back to that
 * month's last day (31 October + 16 months = 28 or 29 February), never spilling into the next.
 */
export function addMonthsUtc(instant: Date, months: number): Date {
  const target = new Date(instant.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** P11: photos and their derivatives are erased 1 year and 4 months after upload. */
export const PHOTO_RETENTION_MONTHS = 16;
export const photoExpiresAt = (uploadedAt: Date): Date =>
  addMonthsUtc(uploadedAt, PHOTO_RETENTION_MONTHS);

/** Tenant admins and album members are warned this long before photos expire. */
export const EXPIRY_NOTICE_DAYS = 30;
export const photoExpiryNoticeAt = (uploadedAt: Date): Date =>
  addDays(photoExpiresAt(uploadedAt), -EXPIRY_NOTICE_DAYS);

const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * Calendar months on Japan's wall clock (no daylight saving there), with the same end-of-month
 * rule as addMonthsUtc. A contract that ends at 00:00 JST on 1 March ends at 15:00 UTC on the
 * last day of February, so counting in UTC would move its anniversary a day early.
 */
export const addMonthsJst = (instant: Date, months: number): Date =>
  new Date(
    addMonthsUtc(new Date(instant.getTime() + JST_OFFSET_MS), months).getTime() - JST_OFFSET_MS,
  );

/** P4: everything of a tenant is purged one calendar year (JST) after its contract ended. */
export const TENANT_PURGE_MONTHS = 12;
/** No calendar year is shorter: a bound for queries that pick candidates before the check. */
export const TENANT_PURGE_MIN_DAYS = 365;
export const tenantPurgeAt = (contractEndedAt: Date): Date =>
  addMonthsJst(contractEndedAt, TENANT_PURGE_MONTHS);
export const tenantPurgeNoticeAt = (contractEndedAt: Date): Date =>
  addDays(tenantPurgeAt(contractEndedAt), -EXPIRY_NOTICE_DAYS);

/** P13: access log rows are kept 7 days. P10: backups are kept 7 days. */
/** A deleted album stays restorable this long (support can undo a mistake), then is purged. */
export const DELETED_ALBUM_PURGE_DAYS = 30;
export const deletedAlbumPurgeAt = (deletedAt: Date): Date =>
  addDays(deletedAt, DELETED_ALBUM_PURGE_DAYS);

export const ACCESS_LOG_RETENTION_DAYS = 7;
export const BACKUP_RETENTION_DAYS = 7;
export const accessLogCutoff = (now: Date): Date => addDays(now, -ACCESS_LOG_RETENTION_DAYS);
export const backupCutoff = (now: Date): Date => addDays(now, -BACKUP_RETENTION_DAYS);
/** A backup is deleted at this instant (and kept until it). */
export const backupExpiresAt = (createdAt: Date): Date => addDays(createdAt, BACKUP_RETENTION_DAYS);

/** P6: a temporary password stops working 7 days after it was issued. */
export const TEMPORARY_PASSWORD_DAYS = 7;
export const temporaryPasswordExpiresAt = (issuedAt: Date): Date =>
  addDays(issuedAt, TEMPORARY_PASSWORD_DAYS);

/** Whether a deadline has passed at `now` (a deadline is reached at its exact instant). */
export const isDue = (deadline: Date, now: Date): boolean => now.getTime() >= deadline.getTime();

/**
 * P17: incidents affecting users are notified within 3 business days of detection. Business
 * days are Monday to Friday in JST; the deadline is the end (24:00 JST) of the third business
 * day after the day of detection. Public holidays are not counted out (a stricter deadline).
 */
export const INCIDENT_NOTICE_BUSINESS_DAYS = 3;
export function incidentNoticeDeadline(detectedAt: Date): Date {
  // Midnight JST at the start of the detection day, as a UTC instant.
  const jstDay = Math.floor((detectedAt.getTime() + JST_OFFSET_MS) / DAY_MS);
  let day = jstDay;
  let counted = 0;
  while (counted < INCIDENT_NOTICE_BUSINESS_DAYS) {
    day++;
    // 1970-01-01 was a Thursday: (day + 4) % 7 gives 0 for Sunday.
    const weekday = (day + 4) % 7;
    if (weekday !== 0 && weekday !== 6) counted++;
  }
  return new Date((day + 1) * DAY_MS - JST_OFFSET_MS);
}
