import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIcsEvents } from './ics.js';
import type { WindowConfig } from './types.js';
import { expandWindows, getFreezeIntervals, getOccurrenceStarts } from './windows.js';
import { getPatchTuesday } from './zoned-time.js';

const ics = readFileSync(new URL('./__fixtures__/freezes.ics', import.meta.url), 'utf8');
const base = { groups: ['web'], duration: '4h', cutoff: '30m', durationMinutes: 240, cutoffMinutes: 30 };
const from = new Date('2026-12-01T00:00:00Z');
const to = new Date('2026-12-31T00:00:00Z');

describe('windows', () => {
  it('expands a cron window in its time zone (Tuesday 02:00 Berlin = 01:00 UTC in winter)', () => {
    const w: WindowConfig = { ...base, id: 'tue', cron: '0 2 * * 2', timezone: 'Europe/Berlin' };
    const starts = getOccurrenceStarts(w, from, to).map((d) => d.toISOString());
    expect(starts).toEqual([
      '2026-12-01T01:00:00.000Z',
      '2026-12-08T01:00:00.000Z',
      '2026-12-15T01:00:00.000Z',
      '2026-12-22T01:00:00.000Z',
      '2026-12-29T01:00:00.000Z',
    ]);
  });
  it('expands an RRULE in New York local time', () => {
    const w: WindowConfig = {
      ...base,
      id: 'r',
      rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=22',
      timezone: 'America/New_York',
    };
    expect(getOccurrenceStarts(w, from, to)[0]?.toISOString()).toBe('2026-12-06T03:00:00.000Z');
  });
  it('places Patch Tuesday + N days (second Tuesday of December 2026 is the 8th)', () => {
    expect(getPatchTuesday(2026, 12)).toBe(8);
    const w: WindowConfig = {
      ...base,
      id: 'pt',
      cron: '0 3 * * *',
      patchTuesdayOffsetDays: 2,
      timezone: 'UTC',
    };
    expect(getOccurrenceStarts(w, from, to).map((d) => d.toISOString())).toEqual([
      '2026-12-10T03:00:00.000Z',
    ]);
  });
  it('reads ICS freezes (all-day, TZID, folded lines, escaped commas)', () => {
    const events = parseIcsEvents(ics);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ summary: 'Year-end change freeze, all prod' });
    expect(events[0]?.end.toISOString()).toBe('2026-12-24T00:00:00.000Z');
    expect(events[1]?.start.toISOString()).toBe('2026-12-08T08:00:00.000Z');
  });
  it('removes frozen occurrences and records which freeze removed them', () => {
    const w: WindowConfig = { ...base, id: 'tue', cron: '0 2 * * 2', timezone: 'UTC' };
    const freezes = getFreezeIntervals([
      { id: 'cal', ics, icsText: ics },
      { id: 'x', start: '2026-12-15', end: '2026-12-15', groups: ['db'] },
    ]);
    const { slots, frozen } = expandWindows([w], freezes, { from, to, defaultCapacity: 5 });
    expect(slots.map((s) => s.start.toISOString().slice(0, 10))).toEqual([
      '2026-12-01',
      '2026-12-08',
      '2026-12-15',
      '2026-12-29',
    ]);
    expect(frozen).toEqual([
      expect.objectContaining({ freezeId: 'cal:Year-end change freeze, all prod', groups: ['web'] }),
    ]);
    expect(slots[0]?.lastStart.toISOString()).toBe('2026-12-01T05:30:00.000Z');
  });
});
