import type { PlanProblem, Slot } from './types.js';
import { getWallTime } from './zoned-time.js';

const HOUR = 3_600_000;

/** Precomputed numbers shared by the greedy, the MILP and the checks (times in hours from `now`). */
export interface PlanModel {
  problem: PlanProblem;
  startH: Float64Array;
  endH: Float64Array;
  /** Job-minutes each occurrence can take so that list scheduling on `capacity` lanes fits. */
  minuteBudget: Float64Array;
  /** Per job: eligible slot indices in time order. */
  eligible: Int32Array[];
  /** Per job: its services' indices into `serviceNames`. */
  jobServices: Int32Array[];
  serviceNames: string[];
  serviceLimit: Int32Array;
  unscheduledCost: Float64Array;
  horizonH: number;
  /** Slots whose opening falls on a weekday 08:00–18:00 local time. */
  businessHours: Uint8Array;
  /** Per ring: the earliest it can finish (hours) because of carried-over jobs, else −∞. */
  ringFloor: Float64Array;
  /** Slots already used by fixed (started) jobs: hosts, minutes, per-service counts. */
  used: { hosts: Int32Array; minutes: Float64Array; services: Map<number, number> };
}

function servesGroup(slot: Slot, group: string): boolean {
  return slot.groups.includes(group) || slot.groups.includes('*');
}

/**
 * Why list scheduling fits: a job starts on the least-loaded of C lanes, at most Σ(others)/C after
 * the opening; with Σ ≤ C·(length − max(longest job, cutoff)) it starts before the cutoff and ends
 * before the window closes.
 */
export function makePlanModel(problem: PlanProblem): PlanModel {
  const { slots, jobs, now } = problem;
  const startH = Float64Array.from(slots, (s) => (s.start.getTime() - now.getTime()) / HOUR);
  const endH = Float64Array.from(slots, (s) => (s.end.getTime() - now.getTime()) / HOUR);
  const eligible = jobs.map((job) => {
    const list: number[] = [];
    slots.forEach((slot, i) => {
      const usable = (slot.lastStart.getTime() - slot.start.getTime()) / 60_000;
      // An occurrence already open at `now` only keeps the jobs started in it (fixed): a new job's
      // times are computed from the opening, which would lie in the past.
      const open = slot.start.getTime() >= now.getTime();
      if (open && servesGroup(slot, job.group) && job.durationMinutes <= usable) list.push(i);
    });
    return Int32Array.from(list);
  });
  const minuteBudget = Float64Array.from(slots, (slot) => {
    const length = (slot.end.getTime() - slot.start.getTime()) / 60_000;
    const cutoff = (slot.end.getTime() - slot.lastStart.getTime()) / 60_000;
    const usable = (slot.lastStart.getTime() - slot.start.getTime()) / 60_000;
    // Only jobs this occurrence can take count: one job too long for every window must not shrink
    // the budget of the others to nothing (it is reported as too long instead).
    let longest = 0;
    for (const job of jobs)
      if (servesGroup(slot, job.group) && job.durationMinutes <= usable)
        longest = Math.max(longest, job.durationMinutes);
    const budget = slot.capacity * Math.max(0, length - Math.max(longest, cutoff));
    return Math.min(budget, problem.maxJobMinutesPerSlot ?? Number.POSITIVE_INFINITY);
  });
  const serviceNames = [...new Set(jobs.flatMap((j) => j.services))].sort();
  const serviceIndex = new Map(serviceNames.map((s, i) => [s, i]));
  const horizonH = (problem.horizonEnd.getTime() - now.getTime()) / HOUR;
  return {
    problem,
    startH,
    endH,
    minuteBudget,
    eligible,
    jobServices: jobs.map((j) => Int32Array.from(j.services, (s) => serviceIndex.get(s) ?? 0)),
    serviceNames,
    serviceLimit: Int32Array.from(serviceNames, (s) => problem.serviceLimits[s] ?? 1),
    unscheduledCost: Float64Array.from(jobs, (j) => {
      const breach = j.dueDate && j.dueDate <= problem.horizonEnd ? problem.weights.slaBreach : 0;
      return j.riskRate * (horizonH + j.durationMinutes / 60) + problem.weights.unscheduled + breach;
    }),
    horizonH,
    businessHours: Uint8Array.from(slots, (s) => {
      const wall = getWallTime(s.start, s.timezone);
      return wall.weekday >= 1 && wall.weekday <= 5 && wall.hour >= 8 && wall.hour < 18 ? 1 : 0;
    }),
    ringFloor: Float64Array.from(problem.rings, (_, r) => {
      const end = problem.carriedRingEnds?.[r];
      return end ? (end.getTime() - now.getTime()) / HOUR : Number.NEGATIVE_INFINITY;
    }),
    used: {
      hosts: new Int32Array(slots.length),
      minutes: new Float64Array(slots.length),
      services: new Map(),
    },
  };
}

/** Cost of job j in slot s: risk × hours until patched, + SLA breach, + disruption. */
export function getAssignmentCost(model: PlanModel, j: number, s: number): number {
  const job = model.problem.jobs[j];
  const slot = model.problem.slots[s];
  if (!job || !slot) return 0;
  const doneH = (model.startH[s] ?? 0) + job.durationMinutes / 60;
  const doneAt = slot.start.getTime() + job.durationMinutes * 60_000;
  const breach = job.dueDate && doneAt > job.dueDate.getTime() ? model.problem.weights.slaBreach : 0;
  const disruption = job.reboot && model.businessHours[s] ? model.problem.weights.disruption : 0;
  return job.riskRate * doneH + breach + disruption;
}

/** Σ cost of a placement (slot index per job, −1 = unscheduled). */
export function getObjective(model: PlanModel, placement: Int32Array): number {
  let total = 0;
  placement.forEach((s, j) => {
    total += s < 0 ? (model.unscheduledCost[j] ?? 0) : getAssignmentCost(model, j, s);
  });
  return total;
}

/** Expected exposure only (risk × hours until patched, the horizon's end when unscheduled). */
export function getExposure(model: PlanModel, placement: Int32Array): number {
  let total = 0;
  placement.forEach((s, j) => {
    const job = model.problem.jobs[j];
    if (!job) return;
    total += job.riskRate * ((s < 0 ? model.horizonH : (model.startH[s] ?? 0)) + job.durationMinutes / 60);
  });
  return total;
}

/** Jobs finishing after their SLA due date (left out counts when due within the horizon). */
export function getSlaBreaches(model: PlanModel, placement: Int32Array): number {
  const { jobs, slots, horizonEnd } = model.problem;
  let count = 0;
  placement.forEach((s, j) => {
    const due = jobs[j]?.dueDate?.getTime();
    if (due === undefined) return;
    const slot = slots[s];
    const done = slot
      ? slot.start.getTime() + (jobs[j]?.durationMinutes ?? 0) * 60_000
      : horizonEnd.getTime();
    if (slot ? done > due : due <= horizonEnd.getTime()) count++;
  });
  return count;
}
