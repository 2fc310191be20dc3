import { CronExpressionParser } from 'cron-parser';
import * as rruleModule from 'rrule';
import { parseIcsEvents } from './ics.js';
import type { FreezeConfig, FreezeInterval, FrozenOccurrence, Slot, WindowConfig } from './types.js';
import { getPatchTuesday, getWallTime, getZonedInstant } from './zoned-time.js';

// rrule is CommonJS: under some loaders its exports sit on `default`.
const rrule = ((rruleModule as unknown as { default?: typeof rruleModule }).default ??
  rruleModule) as typeof rruleModule;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Used when the config declares no windows: weekly Tuesday 02:00 UTC for 4 hours, every group. */
export const DEFAULT_WINDOW: WindowConfig = {
  id: 'default-weekly-tuesday',
  groups: ['*'],
  cron: '0 2 * * 2',
  timezone: 'UTC',
  duration: '4h',
  cutoff: '30m',
  durationMinutes: 240,
  cutoffMinutes: 30,
};

/** Turns YAML freeze dates and ICS calendars into intervals. A bare end date includes that whole day. */
export function getFreezeIntervals(freezes: readonly FreezeConfig[]): FreezeInterval[] {
  const intervals: FreezeInterval[] = [];
  for (const freeze of freezes) {
    const groups = freeze.groups?.length ? { groups: freeze.groups } : {};
    if ('start' in freeze) {
      const end = new Date(freeze.end.length === 10 ? Date.parse(freeze.end) + DAY : Date.parse(freeze.end));
      intervals.push({ id: freeze.id, start: new Date(freeze.start), end, ...groups });
      continue;
    }
    for (const event of parseIcsEvents(freeze.icsText ?? '')) {
      const id = event.summary ? `${freeze.id}:${event.summary}` : freeze.id;
      intervals.push({ id, start: event.start, end: event.end, ...groups });
    }
  }
  return intervals;
}

/** Start instants of a window's occurrences in [from, to), in its time zone. */
export function getOccurrenceStarts(window: WindowConfig, from: Date, to: Date): Date[] {
  const lookBack = new Date(from.getTime() - window.durationMinutes * MINUTE);
  const base = window.rrule
    ? getRruleStarts(window.rrule, window.timezone, lookBack, to)
    : getCronStarts(window.cron ?? '0 2 * * 2', window.timezone, lookBack, to);
  if (window.patchTuesdayOffsetDays === undefined) return base;
  return getPatchTuesdayStarts(window, base[0], lookBack, to);
}

function getCronStarts(expr: string, tz: string, from: Date, to: Date): Date[] {
  const interval = CronExpressionParser.parse(expr, { tz, currentDate: from, endDate: to });
  const starts: Date[] = [];
  while (interval.hasNext() && starts.length < 10_000) starts.push(interval.next().toDate());
  return starts;
}

/** RRULEs are expanded in floating wall time (UTC fields = local fields), then placed in the zone. */
function getRruleStarts(text: string, tz: string, from: Date, to: Date): Date[] {
  const options = rrule.RRule.parseString(text.replace(/^RRULE:/i, ''));
  const wall = getWallTime(from, tz);
  options.dtstart = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  if (options.byhour !== undefined && options.byminute === undefined) options.byminute = 0;
  options.bysecond = 0;
  const rule = new rrule.RRule(options);
  const floatingEnd = new Date(to.getTime() + 2 * DAY);
  return rule
    .between(options.dtstart, floatingEnd, true)
    .map((d) =>
      getZonedInstant(
        {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
        },
        tz,
      ),
    )
    .filter((d) => d >= from && d < to);
}

/** One occurrence per month on Patch Tuesday + N days, at the time of day of the cron/RRULE. */
function getPatchTuesdayStarts(window: WindowConfig, sample: Date | undefined, from: Date, to: Date): Date[] {
  const time = sample ? getWallTime(sample, window.timezone) : { hour: 0, minute: 0 };
  const starts: Date[] = [];
  const first = getWallTime(from, window.timezone);
  for (let i = -1; i < 24; i++) {
    const monthIndex = first.year * 12 + first.month - 1 + i;
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const day = getPatchTuesday(year, month) + (window.patchTuesdayOffsetDays ?? 0);
    const local = new Date(Date.UTC(year, month - 1, day));
    const start = getZonedInstant(
      {
        year: local.getUTCFullYear(),
        month: local.getUTCMonth() + 1,
        day: local.getUTCDate(),
        hour: time.hour,
        minute: time.minute,
      },
      window.timezone,
    );
    if (start >= to) break;
    if (start >= from) starts.push(start);
  }
  return starts;
}

/**
 * Expands windows into concrete occurrences over [from, to), removing each frozen occurrence for
 * the groups its freeze covers. An occurrence is kept only while a job can still start in it.
 */
export function expandWindows(
  windows: readonly WindowConfig[],
  freezes: readonly FreezeInterval[],
  options: { from: Date; to: Date; defaultCapacity: number },
): { slots: Slot[]; frozen: FrozenOccurrence[] } {
  const slots: Slot[] = [];
  const frozen: FrozenOccurrence[] = [];
  for (const window of windows) {
    for (const start of getOccurrenceStarts(window, options.from, options.to)) {
      const end = new Date(start.getTime() + window.durationMinutes * MINUTE);
      const lastStart = new Date(end.getTime() - window.cutoffMinutes * MINUTE);
      if (lastStart <= options.from || lastStart <= start) continue;
      let groups = [...window.groups];
      for (const freeze of freezes) {
        if (freeze.start >= end || freeze.end <= start) continue;
        const hit = freeze.groups ? groups.filter((g) => freeze.groups?.includes(g) || g === '*') : groups;
        if (hit.length === 0) continue;
        frozen.push({ windowId: window.id, start, freezeId: freeze.id, groups: hit });
        groups = groups.filter((g) => !hit.includes(g));
      }
      if (groups.length === 0) continue;
      slots.push({
        id: `${window.id}@${start.toISOString()}`,
        windowId: window.id,
        groups,
        start,
        end,
        lastStart,
        capacity: window.maxConcurrentHosts ?? options.defaultCapacity,
        timezone: window.timezone,
      });
    }
  }
  slots.sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id));
  return { slots, frozen };
}
