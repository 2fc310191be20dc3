/**
 * The one as-of day every command judges dates at (`sla`, `findings`, `explain`, `run`). See
 * "As-of day" in readme.md for the rule and why it is the wall clock, not the data's end.
 */
export interface AsOf {
  /** The UTC day dates are judged at: due, overdue, exceptions in force. */
  day: string;
  /** The instant behind `day` (the clock the command was given). */
  instant: Date;
  /** The newest day the synced intelligence holds; null before any sync. */
  dataThrough: string | null;
}

/**
 * The as-of day: the clock's UTC day, whatever the data's age. Deadlines run in real time: a stale
 * feed must not stop an SLA clock, and a finding first seen today cannot be judged at an earlier day.
 * Pure.
 */
export function getAsOf(now: Date, dataThrough: string | null): AsOf {
  return { day: now.toISOString().slice(0, 10), instant: now, dataThrough };
}

/** The words commands print: `as of 2026-03-01`. */
export function formatAsOf(asOf: AsOf): string {
  return `as of ${asOf.day}`;
}

/**
 * A line for output when the intelligence is older than the day before the as-of day
 * (`intelligence data through 2025-06-30: sync for newer advisories`), else undefined.
 */
export function getDataAgeNote(asOf: AsOf): string | undefined {
  if (asOf.dataThrough === null) return undefined;
  const behind = Date.parse(`${asOf.day}T00:00:00Z`) - Date.parse(`${asOf.dataThrough}T00:00:00Z`);
  if (behind <= 86_400_000) return undefined;
  return `intelligence data through ${asOf.dataThrough}: \`patchcast sync\` for newer advisories`;
}
