import { makeGreedyPlacement } from './heuristic.js';
import { getExposure, getObjective, getSlaBreaches, makePlanModel, type PlanModel } from './model.js';
import { type SolveOptions, solvePlacement } from './optimize.js';
import { makePlanProblem, type PlanInput, type PlanOptions } from './problem.js';
import { getReasons, getUnscheduledReason } from './reasons.js';
import type { FailureSource, PlanProblem } from './types.js';

/** One job's place in the plan, with the reasons it is there. */
export interface PlanAssignment {
  jobId: string;
  assetId: string;
  slotId: string;
  windowId: string;
  start: string;
  end: string;
  ring: string;
  packages: string[];
  /** Ids of the patches it applies (`patchcast explain <id>`). */
  patches?: string[];
  /** P(the job fails) and whether the reliability model or the default rate gave it. */
  failureProbability?: number;
  failureSource?: FailureSource;
  reasons: string[];
}

/** A simple rule's plan on the same input and pins, for comparison. */
export interface PlanBaseline {
  objective: number;
  exposure: number;
  slaBreaches: number;
  unscheduled: number;
}

/** A window occurrence of the horizon, as a plan records it (ISO times). */
export interface PlanOccurrence {
  id: string;
  windowId: string;
  groups: string[];
  start: string;
  end: string;
  /** The last moment a job may start (end − cutoff). */
  lastStart: string;
  capacity: number;
  timezone: string;
}

/** A patch plan: assignments, quality figures and what could not be placed. */
export interface Plan {
  createdAt: string;
  horizonEnd: string;
  assignments: PlanAssignment[];
  unscheduled: Array<{ jobId: string; assetId: string; ring: string; reason: string; patches?: string[] }>;
  /** Σ risk × hours until patched + penalties (risk-hours). */
  objective: number;
  /** A proven lower bound on the objective of any feasible plan. */
  bound: number;
  /** (objective − bound) / objective. */
  gap: number;
  solveSeconds: number;
  method: 'milp' | 'greedy';
  /** Expected exposure of this plan and of the anchors' rule (first free window in SLA order). */
  exposure: number;
  anchorExposure: number;
  notes: string[];
  /** The window occurrences of the horizon (after freezes), for timelines and calendars. */
  occurrences?: PlanOccurrence[];
  /** Occurrences a freeze removed (for some or all groups), for explanations. */
  frozen?: Array<{ windowId: string; start: string; freezeId: string; groups: string[] }>;
  /** Jobs finishing after their SLA due date (left out counts when due within the horizon). */
  slaBreaches?: number;
  /** The anchors' rule on the same input: its objective, SLA breaches and jobs left out. */
  anchor?: { objective: number; slaBreaches: number; unscheduled: number };
  /** "Sort by risk per job-minute" (the greedy's order) on the same input and pins. */
  densityBaseline?: PlanBaseline;
  /**
   * Set when the solver's lower bound came out above the objective: the bound is then wrong (a bug),
   * so `bound` and `gap` are shown as computed, not capped, and prove nothing.
   */
  boundExceedsObjective?: boolean;
}

/** Builds and solves a plan from plain data (pure apart from the solver's clock). */
export async function makePlan(input: PlanInput, options: PlanOptions & SolveOptions = {}): Promise<Plan> {
  const { problem, notes } = makePlanProblem(input, options);
  const model = makePlanModel(problem);
  return finishPlan(model, await solvePlacement(model, options), notes);
}

/** Turns a solved placement into a Plan with per-job reasons and concrete start times. */
export function finishPlan(
  model: PlanModel,
  solved: Awaited<ReturnType<typeof solvePlacement>>,
  notes: string[],
  fixedTimes: ReadonlyMap<number, { start: string; end: string }> = new Map(),
  fixed: ReadonlyMap<number, number> = new Map(),
): Plan {
  const { problem } = model;
  // The rules compared with are given the same started jobs, pinned where they are.
  const anchor = makeGreedyPlacement(model, 'sla', fixed).placement;
  const density = makeGreedyPlacement(model, 'density', fixed).placement;
  const times = getStartTimes(problem, solved.placement);
  const assignments: PlanAssignment[] = [];
  const unscheduled: Plan['unscheduled'] = [];
  problem.jobs.forEach((job, j) => {
    const s = solved.placement[j] ?? -1;
    const ring = problem.rings[job.ring]?.id ?? String(job.ring);
    const slot = problem.slots[s];
    if (!slot) {
      unscheduled.push({
        jobId: job.id,
        assetId: job.assetId,
        ring,
        reason: getUnscheduledReason(model, j),
        patches: job.patches.map((p) => p.id),
      });
      return;
    }
    const time = fixedTimes.get(j) ??
      times.get(j) ?? { start: slot.start.toISOString(), end: slot.end.toISOString() };
    assignments.push({
      jobId: job.id,
      assetId: job.assetId,
      slotId: slot.id,
      windowId: slot.windowId,
      ...time,
      ring,
      packages: job.packages.map((p) => (p.targetVersion ? `${p.name}@${p.targetVersion}` : p.name)),
      patches: job.patches.map((p) => p.id),
      failureProbability: job.failureProbability,
      failureSource: job.failureSource,
      reasons: getReasons(model, solved.placement, j, fixedTimes.has(j)),
    });
  });
  assignments.sort((a, b) => a.start.localeCompare(b.start) || a.jobId.localeCompare(b.jobId));
  return {
    createdAt: problem.now.toISOString(),
    horizonEnd: problem.horizonEnd.toISOString(),
    assignments,
    unscheduled,
    objective: solved.objective,
    bound: solved.bound,
    gap: solved.gap,
    solveSeconds: solved.solveSeconds,
    method: solved.method,
    exposure: getExposure(model, solved.placement),
    anchorExposure: getExposure(model, anchor),
    notes: [...notes, ...solved.notes],
    occurrences: problem.slots.map((slot) => ({
      id: slot.id,
      windowId: slot.windowId,
      groups: slot.groups,
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      lastStart: slot.lastStart.toISOString(),
      capacity: slot.capacity,
      timezone: slot.timezone,
    })),
    frozen: problem.frozen.map((f) => ({ ...f, start: f.start.toISOString() })),
    slaBreaches: getSlaBreaches(model, solved.placement),
    anchor: {
      objective: getObjective(model, anchor),
      slaBreaches: getSlaBreaches(model, anchor),
      unscheduled: anchor.filter((s) => s < 0).length,
    },
    densityBaseline: {
      objective: getObjective(model, density),
      exposure: getExposure(model, density),
      slaBreaches: getSlaBreaches(model, density),
      unscheduled: density.filter((s) => s < 0).length,
    },
    ...(solved.boundExceedsObjective ? { boundExceedsObjective: true } : {}),
  };
}

/** List scheduling on `capacity` lanes per occurrence, riskiest first (fits by the minute budget). */
function getStartTimes(
  problem: PlanProblem,
  placement: Int32Array,
): Map<number, { start: string; end: string }> {
  const bySlot = new Map<number, number[]>();
  placement.forEach((s, j) => {
    if (s >= 0) bySlot.set(s, [...(bySlot.get(s) ?? []), j]);
  });
  const result = new Map<number, { start: string; end: string }>();
  for (const [s, list] of bySlot) {
    const slot = problem.slots[s];
    if (!slot) continue;
    const lanes = new Array<number>(slot.capacity).fill(slot.start.getTime());
    list.sort((a, b) => (problem.jobs[b]?.riskRate ?? 0) - (problem.jobs[a]?.riskRate ?? 0));
    for (const j of list) {
      const lane = lanes.indexOf(Math.min(...lanes));
      const start = lanes[lane] ?? slot.start.getTime();
      const end = start + (problem.jobs[j]?.durationMinutes ?? 0) * 60_000;
      lanes[lane] = end;
      result.set(j, { start: new Date(start).toISOString(), end: new Date(end).toISOString() });
    }
  }
  return result;
}
