import { type CoverOptions, isExceptionCovering } from '../exceptions/covering.js';
import type { Finding, RiskException } from '../types.js';
import { addDays, DAY_MS, getDay } from './dates.js';

/**
 * The days a due date moves because exceptions stopped the clock. Each covering exception stops it
 * from its creation (or first detection, if later) until it expired, was revoked, or `now`;
 * overlapping exceptions count once. Only time while the clock was still running counts: an exception
 * taken out after the deadline does not un-breach the finding once it ends. Partial days round up.
 */
export function getPausedDays(
  finding: Finding,
  baseDue: string,
  exceptions: readonly RiskException[],
  now: Date,
  options: CoverOptions = {},
): number {
  const intervals = mergeIntervals(getPauseIntervals(finding, exceptions, now, options));
  let dueEnd = Date.parse(`${addDays(baseDue, 1)}T00:00:00Z`);
  let paused = 0;
  for (const [start, end] of intervals) {
    if (start >= dueEnd) break;
    paused += end - start;
    dueEnd += end - start;
  }
  return Math.ceil(paused / DAY_MS);
}

function getPauseIntervals(
  finding: Finding,
  exceptions: readonly RiskException[],
  now: Date,
  options: CoverOptions,
): Array<[number, number]> {
  const firstSeen = Date.parse(`${getDay(finding.firstSeen)}T00:00:00Z`);
  const out: Array<[number, number]> = [];
  for (const e of exceptions) {
    if (!isExceptionCovering(e, finding, options)) continue;
    const start = Math.max(Date.parse(e.createdAt), firstSeen);
    const ends = [Date.parse(e.expiresAt), now.getTime()];
    if (e.revokedAt !== undefined) ends.push(Date.parse(e.revokedAt));
    const end = Math.min(...ends);
    if (end > start) out.push([start, end]);
  }
  return out;
}

function mergeIntervals(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
