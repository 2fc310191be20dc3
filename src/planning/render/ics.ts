import type { Plan } from '../plan.js';
import { formatClock, getOccurrenceGroups } from './occurrences.js';
import type { PlanLabel } from './text.js';

/** Jobs listed in one event's description; calendar clients choke on huge descriptions. */
const MAX_JOBS_PER_EVENT = 500;

/** RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values. */
export function escapeIcsText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/**
 * RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF + one space; folds fall between
 * characters, never inside a UTF-8 sequence.
 */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with the folding space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** RFC 5545 §3.3.5 DATE-TIME in UTC: `20260505T020000Z`. */
function toIcsTime(iso: string): string {
  return `${new Date(iso).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

/**
 * The plan's window occurrences that hold jobs, one VEVENT each, with the job list (time, ring,
 * asset, packages) in the description. DTSTAMP is the plan's creation time, so the same plan always
 * gives the same file; UIDs are stable per plan and occurrence.
 */
export function renderPlanIcs(plan: Plan, label: PlanLabel = {}): string {
  const planId = label.id ?? 'dry-run';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//patchcast//patch plan//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(`patchcast plan ${planId}`)}`,
  ];
  for (const group of getOccurrenceGroups(plan)) {
    const o = group.occurrence;
    const rings = group.rings.map((r) => r.ring);
    const jobs = group.rings.flatMap((r) => r.assignments);
    const listed = jobs
      .slice(0, MAX_JOBS_PER_EVENT)
      .map(
        (a) =>
          `${formatClock(a.start, o.timezone)}–${formatClock(a.end, o.timezone)} [${a.ring}] ${a.assetId}: ${a.packages.join(', ') || 'no packages'}`,
      );
    if (jobs.length > listed.length)
      listed.push(`… and ${jobs.length - listed.length} more (patchcast plan show ${planId})`);
    const description = [
      `patchcast plan ${planId}: ${jobs.length} job(s) in window ${o.windowId} (${o.timezone}), rings ${rings.join(', ')}`,
      ...listed,
    ].join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${planId}.${o.windowId}.${toIcsTime(o.start)}@patchcast`,
      `DTSTAMP:${toIcsTime(plan.createdAt)}`,
      `DTSTART:${toIcsTime(o.start)}`,
      `DTEND:${toIcsTime(o.end)}`,
      `SUMMARY:${escapeIcsText(`Patching ${o.windowId}: ${jobs.length} job(s), rings ${rings.join(', ')}`)}`,
      `DESCRIPTION:${escapeIcsText(description)}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldIcsLine).join('\r\n')}\r\n`;
}
