import { describe, expect, it } from 'vitest';
import { addDays, addMonths, diffDays, getDay } from './dates.js';

describe('SLA day arithmetic', () => {
  it('adds days and calendar months, clamping to the month end', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(diffDays('2026-01-10', '2026-02-09')).toBe(30);
  });

  it('takes the UTC day of a timestamp, whatever its offset', () => {
    expect(getDay('2026-01-10T23:30:00-02:00')).toBe('2026-01-11');
    expect(getDay('2026-01-10')).toBe('2026-01-10');
  });
});
