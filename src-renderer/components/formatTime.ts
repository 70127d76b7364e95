import { formatInstant, type DisplayZone } from '../../src-shared/time/formatInstant.js';

/** An instant as ISO 8601 in the zone (`…+09:00` in JST), or the input if it is not a date. */
export function instantIn(iso: string, zone: DisplayZone): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatInstant(date, zone);
}

/** A short JST time for people: `2026-11-26 07:14 JST`. */
export function shortJst(iso: string): string {
  const full = instantIn(iso, 'Asia/Tokyo');
  return full.endsWith('+09:00') ? `${full.slice(0, 16).replace('T', ' ')} JST` : full;
}
