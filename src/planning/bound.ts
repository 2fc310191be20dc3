import { getPredecessors } from './heuristic.js';
import { getRingBound } from './lagrangian.js';
import { getAssignmentCost, type PlanModel } from './model.js';

/** A proven lower bound on the objective of every feasible plan, with its parts. */
export interface LowerBound {
  value: number;
  /** Per ring: a lower bound on its release (hours) in any plan where all earlier rings complete. */
  release: Float64Array;
  /** Per ring: a lower bound on its earliest possible finish (hours), +∞ when it cannot complete. */
  finish: Float64Array;
  /** Per ring: the bound on its (non-started) jobs' cost. */
  rings: Float64Array;
  /** Whether every ring LP reached optimality (else the bound is valid but may be weaker). */
  exact: boolean;
}

/*
 * Why this bound is valid. Take any feasible plan and let b be its first incomplete ring (a ring
 * with a plannable job left out), or none. Rings < b are complete, so by induction ring r ≤ b starts
 * no earlier than release[r]: ring r − 1 placed every plannable job in unfrozen occurrences opening
 * at or after release[r − 1], within hosts, job-minutes and service limits left by started jobs, so
 * the necessary counting conditions of `getEarliestFinish` hold at its real finish, which is
 * therefore ≥ finish[r − 1]; add the soak (an empty ring passes the release on; a ring holding only
 * started or carried-over jobs ends exactly at their end). Ring r's placement is then feasible for the relaxation
 * "its jobs, slots opening ≥ release[r], capacity rows" whose Lagrangian value (any π ≥ 0) is below
 * it. Rings > b are wholly unscheduled (blocked), costing Σ unscheduledCost ≥ the same Lagrangian,
 * since "all unscheduled" is feasible for that relaxation. Started jobs add their exact cost.
 * Rings never share an occurrence (ring r + 1 opens after ring r's last occurrence closes), so
 * treating each ring's capacity separately loses nothing beyond the release times.
 */

/** A valid lower bound (see above); `seconds` caps the HiGHS time spent on ring LPs. */
export async function getLowerBound(
  model: PlanModel,
  fixed: ReadonlyMap<number, number>,
  seconds: number,
): Promise<LowerBound> {
  const { jobs, rings } = model.problem;
  const deadline = performance.now() + seconds * 1000;
  const result: LowerBound = {
    value: 0,
    release: new Float64Array(rings.length),
    finish: new Float64Array(rings.length),
    rings: new Float64Array(rings.length),
    exact: true,
  };
  for (const [j, s] of fixed) result.value += getAssignmentCost(model, j, s);
  const preds = getPredecessors(model);
  let release = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < rings.length; r++) {
    result.release[r] = release;
    const ringJobs = jobs.flatMap((job, j) => (job.ring === r && !fixed.has(j) ? [j] : []));
    const plannable = ringJobs.filter((j) => (model.eligible[j]?.length ?? 0) > 0);
    const candidates = ringJobs.map((j) => getOpenSlots(model, j, release));
    const ring = await getRingBound(model, ringJobs, candidates, deadline);
    result.rings[r] = ring.value;
    result.exact &&= ring.exact;
    result.value += ring.value;
    let fixedEnd = model.ringFloor[r] ?? Number.NEGATIVE_INFINITY;
    for (const [j, s] of fixed) if (jobs[j]?.ring === r) fixedEnd = Math.max(fixedEnd, model.endH[s] ?? 0);
    const soak = (rings[r]?.soakMinutes ?? 0) / 60;
    const finish =
      plannable.length > 0
        ? Math.max(getEarliestFinish(model, plannable, release, preds), fixedEnd)
        : fixedEnd;
    result.finish[r] = finish;
    if (finish > Number.NEGATIVE_INFINITY) release = finish + soak;
  }
  return result;
}

/** Eligible slots opening at or after `release`. */
export function getOpenSlots(model: PlanModel, j: number, release: number): number[] {
  if (release === Number.POSITIVE_INFINITY) return [];
  return [...(model.eligible[j] ?? [])].filter((s) => (model.startH[s] ?? 0) >= release);
}

/**
 * A lower bound on when `jobs` (all of one ring) can all be done, opening at or after `release`:
 * the first occurrence end T at which every necessary condition holds — each job has an eligible
 * occurrence in [release, T] after its same-ring predecessors' earliest end; per window group, the
 * jobs' count and job-minutes fit in the hosts and minutes left in their occurrences in [release, T];
 * per service, its members fit under its availability limit summed over those occurrences.
 * +∞ when no T works. Each condition holds for any complete placement, so T ≤ its finish.
 */
export function getEarliestFinish(
  model: PlanModel,
  jobs: readonly number[],
  release: number,
  preds: readonly number[][],
): number {
  const earliestEnd = getEarliestEnds(model, jobs, release, preds);
  let latest = Number.NEGATIVE_INFINITY;
  for (const e of earliestEnd.values()) latest = Math.max(latest, e);
  if (latest === Number.POSITIVE_INFINITY) return latest;
  const { problem } = model;
  const nSlots = problem.slots.length;
  const demand: number[] = [];
  const supply: Array<Array<[number, number]>> = problem.slots.map(() => []);
  const addCondition = (members: number[], need: number, give: (s: number) => number) => {
    const index = demand.push(need) - 1;
    const seen = new Set<number>();
    for (const j of members)
      for (const s of getOpenSlots(model, j, release)) {
        if (seen.has(s)) continue;
        seen.add(s);
        supply[s]?.push([index, Math.max(0, give(s))]);
      }
  };
  const byGroup = new Map<string, number[]>();
  const byService = new Map<number, number[]>();
  for (const j of jobs) {
    const group = problem.jobs[j]?.group ?? '';
    append(byGroup, group, j);
    for (const v of model.jobServices[j] ?? []) append(byService, v, j);
  }
  for (const members of byGroup.values()) {
    addCondition(
      members,
      members.length,
      (s) => (problem.slots[s]?.capacity ?? 0) - (model.used.hosts[s] ?? 0),
    );
    const minutes = members.reduce((sum, j) => sum + (problem.jobs[j]?.durationMinutes ?? 0), 0);
    addCondition(members, minutes - 1e-6, (s) => (model.minuteBudget[s] ?? 0) - (model.used.minutes[s] ?? 0));
  }
  for (const [v, members] of byService) {
    addCondition(
      members,
      members.length,
      (s) => (model.serviceLimit[v] ?? 1) - (model.used.services.get(v * nSlots + s) ?? 0),
    );
  }
  return scanForFinish(model, demand, supply, latest);
}

function scanForFinish(
  model: PlanModel,
  demand: number[],
  supply: Array<Array<[number, number]>>,
  latest: number,
): number {
  const got = new Float64Array(demand.length);
  let unmet = demand.filter((d) => d > 0).length;
  const order = [...supply.keys()].filter((s) => (supply[s]?.length ?? 0) > 0);
  order.sort((a, b) => (model.endH[a] ?? 0) - (model.endH[b] ?? 0));
  for (const s of order) {
    for (const [c, amount] of supply[s] ?? []) {
      const before = got[c] ?? 0;
      got[c] = before + amount;
      const need = demand[c] ?? 0;
      if (before < need && before + amount >= need) unmet--;
    }
    if (unmet === 0) return Math.max(latest, model.endH[s] ?? 0);
  }
  return unmet === 0 ? latest : Number.POSITIVE_INFINITY;
}

/** Earliest possible end per job: first open occurrence after its same-ring predecessors' earliest ends. */
function getEarliestEnds(
  model: PlanModel,
  jobs: readonly number[],
  release: number,
  preds: readonly number[][],
): Map<number, number> {
  const ends = new Map<number, number>(jobs.map((j) => [j, Number.NEGATIVE_INFINITY]));
  for (let pass = 0, changed = true; changed && pass <= jobs.length; pass++) {
    changed = false;
    for (const j of jobs) {
      let after = release;
      for (const p of preds[j] ?? []) after = Math.max(after, ends.get(p) ?? Number.NEGATIVE_INFINITY);
      let end = Number.POSITIVE_INFINITY;
      for (const s of model.eligible[j] ?? []) {
        if ((model.startH[s] ?? 0) >= after) {
          end = model.endH[s] ?? 0;
          break;
        }
      }
      if (end !== ends.get(j)) {
        ends.set(j, end);
        changed = true;
      }
    }
  }
  return ends;
}

function append<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
