import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accessLogCutoff,
  addMonthsUtc,
  backupCutoff,
  backupExpiresAt,
  incidentNoticeDeadline,
  isDue,
  photoExpiresAt,
  photoExpiryNoticeAt,
  temporaryPasswordExpiresAt,
  tenantPurgeAt,
  tenantPurgeNoticeAt,
} from './deadlines.js';

const at = (iso: string) => new Date(iso);

describe('retention deadlines', () => {
  it('expires photos 1 year and 4 months after upload (P11)', () => {
    expect(photoExpiresAt(at('2026-04-10T03:00:00.000Z'))).toEqual(at('2027-08-10T03:00:00.000Z'));
    expect(photoExpiryNoticeAt(at('2026-04-10T03:00:00.000Z'))).toEqual(
      at('2027-07-11T03:00:00.000Z'),
    );
  });

  it('clamps to the last day of a shorter month, leap years included', () => {
    expect(photoExpiresAt(at('2026-10-31T12:00:00Z'))).toEqual(at('2028-02-29T12:00:00Z'));
    expect(photoExpiresAt(at('2025-10-31T12:00:00Z'))).toEqual(at('2027-02-28T12:00:00Z'));
    expect(addMonthsUtc(at('2026-01-31T00:00:00Z'), 1)).toEqual(at('2026-02-28T00:00:00Z'));
    expect(addMonthsUtc(at('2026-03-15T23:59:59.999Z'), -3)).toEqual(
      at('2025-12-15T23:59:59.999Z'),
    );
  });

  it('purges a tenant one calendar year (JST) after its contract ended, with notice 30 days before (P4)', () => {
    const ended = at('2027-03-31T15:00:00Z'); // 2027-04-01 00:00 JST
    expect(tenantPurgeAt(ended)).toEqual(at('2028-03-31T15:00:00Z')); // 2028-04-01 00:00 JST
    expect(tenantPurgeNoticeAt(ended)).toEqual(at('2028-03-01T15:00:00Z'));
  });

  it.each([
    // contract ended (UTC)        purge (UTC)                  in JST
    ['2027-02-28T15:00:00Z', '2028-02-29T15:00:00Z'], // 2027-03-01 00:00 → 2028-03-01 00:00
    ['2027-02-28T03:00:00Z', '2028-02-28T03:00:00Z'], // 2027-02-28 12:00 → 2028-02-28 12:00
    ['2028-02-29T01:00:00Z', '2029-02-28T01:00:00Z'], // 2028-02-29 10:00 → 2029-02-28 10:00
    ['2028-02-29T15:00:00Z', '2029-02-28T15:00:00Z'], // 2028-03-01 00:00 → 2029-03-01 00:00
    ['2027-12-31T14:59:59Z', '2028-12-31T14:59:59Z'], // 2027-12-31 23:59:59 → 2028-12-31
  ])('a contract ended at %s is purged at %s, across leap days', (ended, purge) => {
    expect(tenantPurgeAt(at(ended))).toEqual(at(purge));
  });

  it('keeps access logs and backups 7 days, temporary passwords 7 days (P13, P10, P6)', () => {
    const now = at('2026-11-25T00:00:00Z');
    expect(accessLogCutoff(now)).toEqual(at('2026-11-18T00:00:00Z'));
    expect(backupCutoff(now)).toEqual(at('2026-11-18T00:00:00Z'));
    expect(backupExpiresAt(at('2026-11-18T00:00:00Z'))).toEqual(now);
    expect(temporaryPasswordExpiresAt(now)).toEqual(at('2026-12-02T00:00:00Z'));
  });

  it('is due at the exact instant and after, not before', () => {
    const deadline = at('2027-08-10T03:00:00.000Z');
    expect(isDue(deadline, at('2027-08-10T02:59:59.999Z'))).toBe(false);
    expect(isDue(deadline, deadline)).toBe(true);
    expect(isDue(deadline, at('2027-08-10T03:00:00.001Z'))).toBe(true);
  });

  it('never expires a photo earlier than 16 months minus the month-end clamp', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: at('2000-01-01T00:00:00Z'),
          max: at('2090-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (uploaded) => {
          const expires = photoExpiresAt(uploaded);
          const days = (expires.getTime() - uploaded.getTime()) / 86_400_000;
          // 16 months is 485-489 days; clamping can shorten it by at most 3 days.
          expect(days).toBeGreaterThanOrEqual(482);
          expect(days).toBeLessThanOrEqual(489);
          expect(expires.getUTCHours()).toBe(uploaded.getUTCHours());
        },
      ),
    );
  });
});

describe('incident notice deadline (P17)', () => {
  it('is the end of the third business day after detection, in JST', () => {
    // Wednesday 2027-01-06 10:00 JST: Thu, Fri, Mon → end of Monday 2027-01-11 JST.
    expect(incidentNoticeDeadline(new Date('2027-01-06T01:00:00Z')).toISOString()).toBe(
      '2027-01-11T15:00:00.000Z',
    );
    // Friday 23:30 JST (14:30 UTC, still Friday in JST): Mon, Tue, Wed.
    expect(incidentNoticeDeadline(new Date('2027-01-08T14:30:00Z')).toISOString()).toBe(
      '2027-01-13T15:00:00.000Z',
    );
    // Friday 2027-01-08 16:00 UTC is Saturday 01:00 JST: Mon, Tue, Wed as well.
    expect(incidentNoticeDeadline(new Date('2027-01-08T16:00:00Z')).toISOString()).toBe(
      '2027-01-13T15:00:00.000Z',
    );
  });
});
