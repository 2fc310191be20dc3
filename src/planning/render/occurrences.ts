import type { Plan, PlanAssignment, PlanOccurrence } from '../plan.js';

/** A window occurrence with the plan's jobs in it, by ring (rings in rollout order). */
export interface OccurrenceGroup {
  occurrence: PlanOccurrence;
  rings: Array<{ ring: string; assignments: PlanAssignment[] }>;
  jobCount: number;
  /** First job start and last job end in the occurrence. */
  firstStart: string;
  lastEnd: string;
}

/**
 * The plan's window occurrence `slotId`, or one rebuilt from the id (`window@start`) when the plan
 * does not list it (plans stored before occurrences were recorded).
 */
export function getOccurrence(plan: Plan, slotId: string): PlanOccurrence {
  const found = plan.occurrences?.find((o) => o.id === slotId);
  if (found) return found;
  const at = slotId.lastIndexOf('@');
  const windowId = at > 0 ? slotId.slice(0, at) : slotId;
  const start = at > 0 ? slotId.slice(at + 1) : '';
  const jobs = plan.assignments.filter((a) => a.slotId === slotId);
  const first = start || jobs.map((a) => a.start).sort()[0] || plan.createdAt;
  const end =
    jobs
      .map((a) => a.end)
      .sort()
      .at(-1) ?? first;
  return {
    id: slotId,
    windowId,
    groups: [],
    start: first,
    end,
    lastStart: end,
    capacity: 0,
    timezone: 'UTC',
  };
}

/** Rings in rollout order: by the earliest start of each ring's jobs. */
export function getRingOrder(plan: Plan): string[] {
  const first = new Map<string, string>();
  for (const a of plan.assignments) {
    const seen = first.get(a.ring);
    if (seen === undefined || a.start < seen) first.set(a.ring, a.start);
  }
  for (const u of plan.unscheduled) if (!first.has(u.ring)) first.set(u.ring, '\uffff');
  return [...first].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0])).map(([r]) => r);
}

/** The plan's jobs grouped by window occurrence (in time order), then by ring. */
export function getOccurrenceGroups(plan: Plan): OccurrenceGroup[] {
  const bySlot = new Map<string, PlanAssignment[]>();
  for (const a of plan.assignments) {
    const list = bySlot.get(a.slotId);
    if (list) list.push(a);
    else bySlot.set(a.slotId, [a]);
  }
  const order = getRingOrder(plan);
  const groups: OccurrenceGroup[] = [];
  for (const [slotId, list] of bySlot) {
    list.sort((a, b) => a.start.localeCompare(b.start) || a.assetId.localeCompare(b.assetId));
    const rings = order
      .map((ring) => ({ ring, assignments: list.filter((a) => a.ring === ring) }))
      .filter((r) => r.assignments.length > 0);
    groups.push({
      occurrence: getOccurrence(plan, slotId),
      rings,
      jobCount: list.length,
      firstStart: list[0]?.start ?? '',
      lastEnd: getLastEnd(list),
    });
  }
  return groups.sort(
    (a, b) =>
      a.occurrence.start.localeCompare(b.occurrence.start) || a.occurrence.id.localeCompare(b.occurrence.id),
  );
}

/** The latest end of some jobs (ISO strings order as instants). */
export function getLastEnd(assignments: readonly PlanAssignment[]): string {
  let last = '';
  for (const a of assignments) if (a.end.localeCompare(last) > 0) last = a.end;
  return last;
}

/** `Tue 2026-05-05 02:00` in the given IANA time zone. */
export function formatLocal(iso: string, timeZone: string): string {
  const date = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** `HH:MM` in the given time zone. */
export function formatClock(iso: string, timeZone: string): string {
  return formatLocal(iso, timeZone).slice(-5);
}

/** `weekly-tuesday · Tue 2026-05-05 02:00–06:00 UTC`. */
export function describeOccurrence(o: PlanOccurrence): string {
  return `${o.windowId} · ${formatLocal(o.start, o.timezone)}–${formatClock(o.end, o.timezone)} ${o.timezone}`;
}
