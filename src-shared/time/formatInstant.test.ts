import { describe, expect, it } from 'vitest';
import { formatInstant } from './formatInstant.js';

describe('formatInstant', () => {
  const instant = new Date('2026-03-31T15:30:05.123Z');

  it('renders UTC with Z and JST with +09:00, crossing the date line', () => {
    expect(formatInstant(instant, 'UTC')).toBe('2026-03-31T15:30:05.123Z');
    expect(formatInstant(instant, 'Asia/Tokyo')).toBe('2026-04-01T00:30:05.123+09:00');
  });

  it('names the same instant in both zones', () => {
    const jst = formatInstant(instant, 'Asia/Tokyo');
    expect(new Date(jst).getTime()).toBe(instant.getTime());
  });

  it('refuses an invalid date', () => {
    expect(() => formatInstant(new Date('nope'), 'UTC')).toThrow(RangeError);
  });
});
