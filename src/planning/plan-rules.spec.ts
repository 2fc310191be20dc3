import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSyntheticFleet } from './__fixtures__/fleet.js';
import { makePlan, type Plan } from './plan.js';
import { makePlanProblem, type PlanInput } from './problem.js';
import { replan } from './replan.js';
import { getFreezeIntervals, getOccurrenceStarts } from './windows.js';

const MINUTE = 60_000;

/** A small fleet with random freezes (some for one group), dependencies and service limits. */
const fleet = fc
  .record({
    hosts: fc.integer({ min: 4, max: 30 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    groups: fc.integer({ min: 1, max: 3 }),
    freezes: fc.array(
      fc.record({
        day: fc.integer({ min: 1, max: 28 }),
        days: fc.integer({ min: 0, max: 3 }),
        group: fc.nat(3),
      }),
      { maxLength: 3 },
    ),
    dependencies: fc.array(fc.tuple(fc.nat(29), fc.nat(29)), { maxLength: 4 }),
  })
  .map(({ hosts, seed, groups, freezes, dependencies }): PlanInput => {
    const input = makeSyntheticFleet({ hosts, seed, groups });
    const day = (d: number) => `2026-12-${String(d).padStart(2, '0')}`;
    input.freezes = freezes.map((f, i) => ({
      id: `freeze${i}`,
      start: day(f.day),
      end: day(Math.min(31, f.day + f.days)),
      ...(f.group < groups ? { groups: [`g${f.group}`] } : {}),
    }));
    input.dependencies = dependencies
      .filter(([a, b]) => a < b && b < hosts)
      .map(([a, b]) => [`h${String(a).padStart(5, '0')}`, `h${String(b).padStart(5, '0')}`]);
    return input;
  });

/**
 * Every rule, checked on the plan as a user reads it and recomputed from the input (not from the
 * planner's model): the window serves the asset's group and really occurs then; the job starts
 * before the cutoff and ends in the window; no freeze covering the group touches the occurrence;
 * hosts at once and per occurrence within the limit; service availability; ring order with soak;
 * no ring after an incomplete one; dependencies; each job exactly once. `started` jobs are exempt
 * from ring order (they were placed by an earlier plan).
 */
function getRuleBreaks(input: PlanInput, plan: Plan, started: ReadonlySet<string> = new Set()): string[] {
  const { problem } = makePlanProblem(input);
  const breaks: string[] = [];
  const assets = new Map(input.assets.map((a) => [a.id, a]));
  const windows = new Map(input.windows.map((w) => [w.id, w]));
  const freezes = getFreezeIntervals(input.freezes);
  const bySlot = new Map<string, Plan['assignments']>();
  for (const a of plan.assignments) {
    const window = windows.get(a.windowId);
    const group = assets.get(a.assetId)?.windowGroup ?? 'default';
    const occurrence = new Date(a.slotId.slice(a.slotId.indexOf('@') + 1));
    const closes = occurrence.getTime() + (window?.durationMinutes ?? 0) * MINUTE;
    const start = Date.parse(a.start);
    if (!window || !(window.groups.includes(group) || window.groups.includes('*')))
      breaks.push(`${a.jobId}: window ${a.windowId} does not serve ${group}`);
    const real = window && getOccurrenceStarts(window, occurrence, new Date(occurrence.getTime() + 1));
    if (!real?.some((d) => d.getTime() === occurrence.getTime()))
      breaks.push(`${a.jobId}: no such occurrence`);
    if (start < occurrence.getTime() || start > closes - (window?.cutoffMinutes ?? 0) * MINUTE)
      breaks.push(`${a.jobId}: starts outside the window or after its cutoff`);
    if (Date.parse(a.end) > closes) breaks.push(`${a.jobId}: ends after the window closes`);
    for (const f of freezes) {
      const covers = !f.groups || f.groups.includes(group);
      if (covers && f.start.getTime() < closes && f.end.getTime() > occurrence.getTime())
        breaks.push(`${a.jobId}: in freeze ${f.id}`);
    }
    bySlot.set(a.slotId, [...(bySlot.get(a.slotId) ?? []), a]);
  }
  for (const [slotId, list] of bySlot)
    breaks.push(...getSlotBreaks(input, problem.serviceLimits, slotId, list));
  breaks.push(...getOrderBreaks(input, plan, problem.rings, started));
  const ids = [...plan.assignments, ...plan.unscheduled].map((a) => a.jobId);
  if (new Set(ids).size !== ids.length || ids.length !== problem.jobs.length)
    breaks.push('a job is missing or twice');
  return breaks;
}

function getSlotBreaks(
  input: PlanInput,
  limits: Record<string, number>,
  slotId: string,
  list: Plan['assignments'],
): string[] {
  const breaks: string[] = [];
  const window = input.windows.find((w) => w.id === list[0]?.windowId);
  const capacity = window?.maxConcurrentHosts ?? 25;
  if (list.length > capacity) breaks.push(`${slotId}: ${list.length} hosts`);
  for (const a of list) {
    const at = Date.parse(a.start);
    const running = list.filter((b) => Date.parse(b.start) <= at && Date.parse(b.end) > at).length;
    if (running > capacity) breaks.push(`${slotId}: ${running} hosts at once`);
  }
  const down = new Map<string, number>();
  for (const a of list)
    for (const s of input.assets.find((x) => x.id === a.assetId)?.services ?? [])
      down.set(s, (down.get(s) ?? 0) + 1);
  for (const [s, n] of down) if (n > (limits[s] ?? 1)) breaks.push(`${slotId}: ${n} of ${s} down`);
  return breaks;
}

function getOrderBreaks(
  input: PlanInput,
  plan: Plan,
  rings: Array<{ id: string; soakMinutes: number }>,
  started: ReadonlySet<string>,
): string[] {
  const breaks: string[] = [];
  const closes = (a: Plan['assignments'][number]) => {
    const window = input.windows.find((w) => w.id === a.windowId);
    return Date.parse(a.slotId.slice(a.slotId.indexOf('@') + 1)) + (window?.durationMinutes ?? 0) * MINUTE;
  };
  const opens = (a: Plan['assignments'][number]) => Date.parse(a.slotId.slice(a.slotId.indexOf('@') + 1));
  let after = Number.NEGATIVE_INFINITY;
  let incomplete: string | undefined;
  for (const ring of rings) {
    const list = plan.assignments.filter((a) => a.ring === ring.id);
    for (const a of list) {
      if (started.has(a.jobId)) continue;
      if (opens(a) < after) breaks.push(`${a.jobId}: ring ${ring.id} before the previous ring ended + soak`);
      if (incomplete) breaks.push(`${a.jobId}: ring ${ring.id} placed after incomplete ring ${incomplete}`);
    }
    if (list.length > 0) after = Math.max(...list.map(closes)) + ring.soakMinutes * MINUTE;
    const left = plan.unscheduled.filter((u) => u.ring === ring.id && !u.reason.startsWith('no window'));
    if (left.length > 0) incomplete ??= ring.id;
  }
  const byAsset = new Map(plan.assignments.map((a) => [a.assetId, a]));
  for (const [before, next] of input.dependencies ?? []) {
    const a = byAsset.get(before);
    const b = byAsset.get(next);
    if (b && !started.has(b.jobId) && (!a || closes(a) > opens(b))) breaks.push(`${next} before ${before}`);
  }
  return breaks;
}

describe('plan rules (property tests on the plan as published)', () => {
  it('keeps windows, freezes, capacity, availability, ring order, soak and dependencies', async () => {
    await fc.assert(
      fc.asyncProperty(fleet, async (input) => {
        const plan = await makePlan(input, { timeLimitSeconds: 2 });
        expect(getRuleBreaks(input, plan)).toEqual([]);
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('re-planning keeps every rule and never moves a started job', async () => {
    await fc.assert(
      fc.asyncProperty(fleet, fc.integer({ min: 1, max: 25 }), async (input, days) => {
        const first = await makePlan(input, { timeLimitSeconds: 2 });
        const now = new Date(input.now.getTime() + days * 86_400_000);
        const { plan } = await replan(first, { ...input, now }, { timeLimitSeconds: 2 });
        const started = first.assignments.filter((a) => Date.parse(a.start) <= now.getTime());
        for (const a of started)
          expect(plan.assignments.find((b) => b.jobId === a.jobId)).toMatchObject({
            slotId: a.slotId,
            start: a.start,
          });
        const later = plan.assignments.filter((a) => !started.some((s) => s.jobId === a.jobId));
        expect(later.filter((a) => Date.parse(a.start) < now.getTime())).toEqual([]);
        expect(getRuleBreaks({ ...input, now }, plan, new Set(started.map((a) => a.jobId)))).toEqual([]);
      }),
      { numRuns: 10 },
    );
  }, 60_000);
});

describe('plan times', () => {
  it('never starts a new job in the past when a window is open at planning time', async () => {
    const input = makeSyntheticFleet({ hosts: 12, seed: 4, groups: 1 });
    input.windows = input.windows.map((w) => ({ ...w, cron: '0 22 * * *' }));
    const now = new Date('2026-12-01T23:00:00Z');
    const plan = await makePlan({ ...input, now }, { timeLimitSeconds: 2 });
    expect(plan.assignments.length).toBeGreaterThan(0);
    expect(plan.assignments.filter((a) => Date.parse(a.start) < now.getTime())).toEqual([]);
  });
});
