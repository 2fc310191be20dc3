import { describe, expect, it } from 'vitest';
import { formatAsOf, getAsOf, getDataAgeNote } from './as-of.js';

describe('the as-of day', () => {
  it('is the clock’s UTC day, even when the data ends long before it', () => {
    const asOf = getAsOf(new Date('2026-03-01T23:30:00Z'), '2025-06-30');
    expect(asOf.day).toBe('2026-03-01');
    expect(formatAsOf(asOf)).toBe('as of 2026-03-01');
    expect(getDataAgeNote(asOf)).toBe(
      'intelligence data through 2025-06-30: `patchcast sync` for newer advisories',
    );
  });

  it('notes the data’s last day only when it is older than yesterday', () => {
    expect(getDataAgeNote(getAsOf(new Date('2026-03-01T08:00:00Z'), '2026-02-28'))).toBeUndefined();
    expect(getDataAgeNote(getAsOf(new Date('2026-03-01T08:00:00Z'), null))).toBeUndefined();
  });
});
