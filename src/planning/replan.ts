import { makePlanModel } from './model.js';
import { type SolveOptions, solvePlacement } from './optimize.js';
import { finishPlan, type Plan, type PlanAssignment } from './plan.js';
import { getCarriedRingEnds, makePlanProblem, type PlanInput, type PlanOptions } from './problem.js';
import { DEFAULT_WINDOW } from './windows.js';

/** What changed between two plans. */
export interface PlanDiff {
  added: string[];
  removed: string[];
  moved: Array<{ jobId: string; from: string; to: string; fromSlot: string; toSlot: string }>;
  unchanged: number;
}

/**
 * Re-plans from `input` (new findings, windows, outcomes, clock) without moving jobs that have
 * started (start ≤ now, or listed in `startedJobIds`, e.g. leased by a worker): those stay in their
 * occurrence, using its capacity, and keep their times.
 */
export async function replan(
  previous: Plan,
  input: PlanInput,
  options: PlanOptions & SolveOptions & { startedJobIds?: ReadonlySet<string> } = {},
): Promise<{ plan: Plan; diff: PlanDiff }> {
  const started = previous.assignments.filter(
    (a) => Date.parse(a.start) <= input.now.getTime() || options.startedJobIds?.has(a.jobId),
  );
  const { problem, notes } = makePlanProblem(input, options);
  const slotIndex = new Map(problem.slots.map((s, i) => [s.id, i]));
  const carried: PlanAssignment[] = [];
  const pinned = new Map<string, PlanAssignment>();
  for (const a of started) {
    if (slotIndex.has(a.slotId) && problem.jobs.some((j) => j.id === a.jobId)) pinned.set(a.jobId, a);
    else carried.push(a);
  }
  const carriedIds = new Set(carried.map((a) => a.jobId));
  problem.jobs = problem.jobs.filter((j) => !carriedIds.has(j.id));
  problem.carriedRingEnds = getCarriedRingEnds(
    problem,
    carried,
    input.windows.length > 0 ? input.windows : [DEFAULT_WINDOW],
  );
  const model = makePlanModel(problem);
  const fixed = new Map<number, number>();
  const fixedTimes = new Map<number, { start: string; end: string }>();
  problem.jobs.forEach((job, j) => {
    const a = pinned.get(job.id);
    const s = a ? slotIndex.get(a.slotId) : undefined;
    if (!a || s === undefined) return;
    fixed.set(j, s);
    fixedTimes.set(j, { start: a.start, end: a.end });
    model.used.hosts[s] = (model.used.hosts[s] ?? 0) + 1;
    model.used.minutes[s] = (model.used.minutes[s] ?? 0) + job.durationMinutes;
    for (const v of model.jobServices[j] ?? []) {
      const key = v * problem.slots.length + s;
      model.used.services.set(key, (model.used.services.get(key) ?? 0) + 1);
    }
  });
  const plan = finishPlan(model, await solvePlacement(model, options, fixed), notes, fixedTimes, fixed);
  plan.assignments = [
    ...carried.map((a) => ({
      ...a,
      reasons: [
        ...a.reasons.filter((r) => !r.startsWith('already started')),
        'already started: kept in place on re-plan',
      ],
    })),
    ...plan.assignments,
  ];
  const known = new Set(plan.occurrences?.map((o) => o.id));
  const passed = (previous.occurrences ?? []).filter(
    (o) => !known.has(o.id) && carried.some((a) => a.slotId === o.id),
  );
  if (plan.occurrences && passed.length > 0) plan.occurrences = [...passed, ...plan.occurrences];
  return { plan, diff: getPlanDiff(previous, plan) };
}

/** Jobs added, removed or moved between two plans. */
export function getPlanDiff(before: Plan, after: Plan): PlanDiff {
  const old = new Map(before.assignments.map((a) => [a.jobId, a]));
  const now = new Map(after.assignments.map((a) => [a.jobId, a]));
  const diff: PlanDiff = { added: [], removed: [], moved: [], unchanged: 0 };
  const opensBefore = getOccurrenceStarts(before);
  const opensAfter = getOccurrenceStarts(after);
  const opening = (starts: Map<string, number>, slotId: string) =>
    starts.get(slotId) ?? Date.parse(slotId.slice(slotId.indexOf('@') + 1));
  for (const [id, a] of now) {
    const b = old.get(id);
    if (!b) diff.added.push(id);
    // A job moves when its occurrence opens at another time; a renamed window (same time, another
    // occurrence id) is not a move.
    else if (opening(opensBefore, b.slotId) !== opening(opensAfter, a.slotId))
      diff.moved.push({ jobId: id, from: b.start, to: a.start, fromSlot: b.slotId, toSlot: a.slotId });
    else diff.unchanged++;
  }
  for (const id of old.keys()) if (!now.has(id)) diff.removed.push(id);
  return diff;
}

function getOccurrenceStarts(plan: Plan): Map<string, number> {
  return new Map((plan.occurrences ?? []).map((o) => [o.id, Date.parse(o.start)]));
}
