import { getViolations } from '../check.js';
import { getPredecessors } from '../heuristic.js';
import { getAssignmentCost, type PlanModel } from '../model.js';
import type { PlanProblem, RingedJob, Slot } from '../types.js';
import { makeRandom } from './fleet.js';

const HOUR = 3_600_000;

/**
 * A tiny random problem (≤ `maxJobs` jobs, ≤ `maxSlots` occurrences) that still has every rule:
 * two window groups, shared and group-only occurrences, 1–3 rings with soak, hosts and job-minute
 * limits, two services with availability limits, dependencies, SLA dates, reboots in business hours.
 */
export function makeTinyProblem(seed: number, maxJobs = 10, maxSlots = 6): PlanProblem {
  const random = makeRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const now = new Date('2026-12-01T00:00:00Z');
  const slots: Slot[] = [];
  const nSlots = 1 + pick(maxSlots);
  let at = pick(24);
  for (let i = 0; i < nSlots; i++) {
    at += 2 + pick(40);
    const start = new Date(now.getTime() + at * HOUR);
    const hours = 1 + pick(3);
    const end = new Date(start.getTime() + hours * HOUR);
    const groups = [['a'], ['b'], ['a', 'b'], ['*']][pick(4)] ?? ['a'];
    slots.push({
      id: `w${i}@${start.toISOString()}`,
      windowId: `w${i}`,
      groups,
      start,
      end,
      lastStart: new Date(end.getTime() - 30 * 60_000),
      capacity: 1 + pick(3),
      timezone: 'UTC',
    });
  }
  const ringCount = 1 + pick(3);
  const jobs: RingedJob[] = [];
  const nJobs = 1 + pick(maxJobs);
  for (let j = 0; j < nJobs; j++) {
    const reboot = random() < 0.4;
    jobs.push({
      id: `job:t${j}`,
      assetId: `t${j}`,
      group: random() < 0.5 ? 'a' : 'b',
      services: [random() < 0.4 ? ['s1'] : [], random() < 0.3 ? ['s2'] : []].flat(),
      packages: [{ name: 'openssl' }],
      patches: [],
      failureSource: 'default',
      findingIds: [`f${j}`],
      durationMinutes: 10 + 10 * pick(8),
      reboot,
      riskRate: random() < 0.2 ? 1 + 5 * random() : 0.01 + 0.2 * random(),
      ...(random() < 0.7 ? { dueDate: new Date(now.getTime() + pick(200) * HOUR) } : {}),
      failureProbability: 0.02,
      ring: pick(ringCount),
    });
  }
  const dependencies: Array<[string, string]> = [];
  for (let d = pick(3); d > 0 && nJobs > 1; d--) {
    const a = pick(nJobs - 1);
    const b = a + 1 + pick(nJobs - a - 1);
    const ja = jobs[a];
    const jb = jobs[b];
    if (!ja || !jb) continue;
    jb.ring = Math.max(jb.ring, ja.ring);
    dependencies.push([ja.id, jb.id]);
  }
  return {
    now,
    horizonEnd: new Date(now.getTime() + 12 * 24 * HOUR),
    jobs,
    rings: Array.from({ length: ringCount }, (_, r) => ({ id: `r${r}`, soakMinutes: 60 * pick(30) })),
    slots,
    frozen: [],
    serviceLimits: { s1: 1 + pick(2), s2: 1 },
    dependencies,
    weights: { slaBreach: 50, unscheduled: 100, disruption: 1 },
    ...(random() < 0.3 ? { maxJobMinutesPerSlot: 60 + 30 * pick(4) } : {}),
  };
}

/**
 * The true optimum by exhaustive search (depth-first, pruned by capacity and by cost: the partial
 * cost plus each remaining job's cheapest option). Every complete placement is checked with
 * `getViolations`, the same rules plans are held to. `fixed` pins started jobs. With `incumbent` (a
 * valid placement) only cheaper placements are searched; it is returned when none exists.
 */
export function getExactOptimum(
  model: PlanModel,
  fixed: ReadonlyMap<number, number> = new Map(),
  incumbent?: { objective: number; placement: Int32Array },
): { objective: number; placement: Int32Array } {
  const { jobs, slots } = model.problem;
  const n = jobs.length;
  const options = jobs.map((_, j) => {
    const pinned = fixed.get(j);
    if (pinned !== undefined) return [pinned];
    const list = [-1, ...(model.eligible[j] ?? [])];
    return list.sort((a, b) => getCost(model, j, a) - getCost(model, j, b));
  });
  // Optimistic rest: each job at its cheapest, but at most (hosts left) of them placed at all.
  const dfs = jobs.map((_, j) => j).sort((a, b) => (jobs[a]?.ring ?? 0) - (jobs[b]?.ring ?? 0) || a - b);
  const unplaced = dfs.map((j) => getCost(model, j, -1));
  const saving = dfs.map((j, i) => (unplaced[i] ?? 0) - Math.min(...(options[j] ?? []).map((s) => getCost(model, j, s))));
  const restUnplaced = new Float64Array(n + 1);
  const topSavings: number[][] = [];
  for (let j = n; j >= 0; j--) {
    restUnplaced[j] = (restUnplaced[j + 1] ?? 0) + (unplaced[j] ?? 0);
    const sorted = saving.slice(j).sort((a, b) => b - a);
    topSavings[j] = [0];
    for (const x of sorted) topSavings[j]?.push((topSavings[j]?.at(-1) ?? 0) + x);
  }
  const getRest = (j: number): number => {
    let left = 0;
    slots.forEach((slot, s) => {
      left += Math.max(0, slot.capacity - (hosts[s] ?? 0));
    });
    const top = topSavings[j] ?? [0];
    return (restUnplaced[j] ?? 0) - (top[Math.min(left, top.length - 1)] ?? 0);
  };
  const hosts = Int32Array.from(model.used.hosts);
  const minutes = Float64Array.from(model.used.minutes);
  const services = new Int32Array(model.serviceNames.length * slots.length);
  for (const [key, v] of model.used.services) services[key] = v;
  const placement = new Int32Array(n).fill(-1);
  const fixedSet = new Set(fixed.keys());
  let best = incumbent ?? { objective: Number.POSITIVE_INFINITY, placement: new Int32Array(n).fill(-1) };
  const fits = (j: number, s: number, sign: number): boolean => {
    const job = jobs[j];
    if (!job) return false;
    const keys = (model.jobServices[j] ?? []).map((v) => v * slots.length + s);
    if (sign > 0 && !fixed.has(j)) {
      if ((hosts[s] ?? 0) + 1 > (slots[s]?.capacity ?? 0)) return false;
      if ((minutes[s] ?? 0) + job.durationMinutes > (model.minuteBudget[s] ?? 0) + 1e-9) return false;
      if (keys.some((k) => (services[k] ?? 0) + 1 > (model.serviceLimit[Math.floor(k / slots.length)] ?? 1)))
        return false;
    }
    if (fixed.has(j)) return true;
    hosts[s] = (hosts[s] ?? 0) + sign;
    minutes[s] = (minutes[s] ?? 0) + sign * job.durationMinutes;
    for (const k of keys) services[k] = (services[k] ?? 0) + sign;
    return true;
  };
  // Decide jobs ring by ring so order, soak and blocking prune early (exact without started jobs:
  // then "after every earlier non-empty ring" is the same rule as the check's).
  const order = dfs;
  const preds = getPredecessors(model);
  const clashes = (i: number): boolean => {
    const b = order[i] ?? 0;
    for (let h = 0; h < i; h++) {
      const a = order[h] ?? 0;
      if (fixed.size === 0 && clashesInOrder(model, placement, a, b)) return true;
      if ((preds[b] ?? []).includes(a) && !isDependencyKept(model, placement, a, b)) return true;
    }
    return false;
  };
  const visit = (i: number, cost: number): void => {
    if (cost + getRest(i) >= best.objective - 1e-9) return;
    if (i === n) {
      if (getViolations(model, placement, fixedSet).length === 0)
        best = { objective: cost, placement: Int32Array.from(placement) };
      return;
    }
    const j = order[i] ?? 0;
    for (const s of options[j] ?? []) {
      if (s >= 0 && !fits(j, s, 1)) continue;
      placement[j] = s;
      if (!clashes(i)) visit(i + 1, cost + getCost(model, j, s));
      placement[j] = -1;
      if (s >= 0) fits(j, s, -1);
    }
  };
  visit(0, 0);
  return best;
}

const getCost = (model: PlanModel, j: number, s: number): number =>
  s < 0 ? (model.unscheduledCost[j] ?? 0) : getAssignmentCost(model, j, s);

/** Placed a (earlier ring) and b (later ring) break order + soak, or b is placed past an incomplete ring. */
function clashesInOrder(model: PlanModel, placement: Int32Array, a: number, b: number): boolean {
  const { jobs, rings } = model.problem;
  const ra = jobs[a]?.ring ?? 0;
  const rb = jobs[b]?.ring ?? 0;
  const sa = placement[a] ?? -1;
  const sb = placement[b] ?? -1;
  if (ra === rb) return false;
  const [early, late, se, sl] = ra < rb ? [a, b, sa, sb] : [b, a, sb, sa];
  if (sl < 0) return false;
  if (se < 0) return (model.eligible[early]?.length ?? 0) > 0;
  const soak = (rings[jobs[early]?.ring ?? 0]?.soakMinutes ?? 0) / 60;
  return (model.endH[se] ?? 0) + soak > (model.startH[sl] ?? 0) + 1e-9;
}

function isDependencyKept(model: PlanModel, placement: Int32Array, a: number, b: number): boolean {
  const sa = placement[a] ?? -1;
  const sb = placement[b] ?? -1;
  return sb < 0 || (sa >= 0 && (model.endH[sa] ?? 0) <= (model.startH[sb] ?? 0) + 1e-9);
}
