/**
 * Time zones every audit view and export can render in (P12). Asia/Tokyo has had no daylight
 * saving since 1951, so a fixed +09:00 offset is exact for every timestamp we store.
 */
export const DISPLAY_ZONES = ['UTC', 'Asia/Tokyo'] as const;
export type DisplayZone = (typeof DISPLAY_ZONES)[number];

const OFFSET_MINUTES: Readonly<Record<DisplayZone, number>> = { UTC: 0, 'Asia/Tokyo': 540 };

/** ISO 8601 with milliseconds: `...Z` in UTC, `...+09:00` in Asia/Tokyo. */
export function formatInstant(instant: Date, zone: DisplayZone): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid date');
  const offset = OFFSET_MINUTES[zone];
  if (offset === 0) return instant.toISOString();
  const shifted = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${shifted}${sign}${hh}:${mm}`;
}
