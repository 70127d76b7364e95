import { describe, expect, it } from 'vitest';
import { currentSlot, nextSlot } from './jobSchedule.js';

describe('job schedule slots', () => {
  it('hourly at minute 15: the slot begins at :15 exactly', () => {
    const s = { kind: 'hourly', minute: 15 } as const;
    expect(currentSlot(s, new Date('2027-01-01T10:15:00Z')).toISOString()).toBe(
      '2027-01-01T10:15:00.000Z',
    );
    expect(currentSlot(s, new Date('2027-01-01T10:14:59.999Z')).toISOString()).toBe(
      '2027-01-01T09:15:00.000Z',
    );
    expect(nextSlot(s, new Date('2027-01-01T10:14:59Z')).toISOString()).toBe(
      '2027-01-01T10:15:00.000Z',
    );
  });

  it('daily at 03:30 JST is 18:30 UTC of the day before', () => {
    const s = { kind: 'daily_jst', hour: 3, minute: 30 } as const;
    expect(currentSlot(s, new Date('2027-01-01T18:30:00Z')).toISOString()).toBe(
      '2027-01-01T18:30:00.000Z',
    );
    expect(currentSlot(s, new Date('2027-01-01T18:29:59Z')).toISOString()).toBe(
      '2026-12-31T18:30:00.000Z',
    );
    expect(nextSlot(s, new Date('2027-01-02T00:00:00Z')).toISOString()).toBe(
      '2027-01-02T18:30:00.000Z',
    );
  });
});
