import type { PlanModel } from './model.js';

/** Which jobs go first: by risk density (risk rate / duration) or, as the anchor products do, by SLA. */
export type GreedyOrder = 'density' | 'sla';

/** Hosts, minutes and service members used per slot. */
export class SlotUsage {
  readonly hosts: Int32Array;
  readonly minutes: Float64Array;
  readonly services = new Map<number, number>();
  constructor(private readonly model: PlanModel) {
    this.hosts = Int32Array.from(model.used.hosts);
    this.minutes = Float64Array.from(model.used.minutes);
    for (const [k, v] of model.used.services) this.services.set(k, v);
  }
  /** Whether job j still fits in slot s (hosts, job-minutes, availability of each of its services). */
  fits(j: number, s: number): boolean {
    const m = this.model;
    const slot = m.problem.slots[s];
    const job = m.problem.jobs[j];
    if (!slot || !job) return false;
    if ((this.hosts[s] ?? 0) + 1 > slot.capacity) return false;
    if ((this.minutes[s] ?? 0) + job.durationMinutes > (m.minuteBudget[s] ?? 0) + 1e-9) return false;
    for (const v of m.jobServices[j] ?? []) {
      if ((this.services.get(v * m.problem.slots.length + s) ?? 0) + 1 > (m.serviceLimit[v] ?? 1))
        return false;
    }
    return true;
  }
  /** An independent copy (to try a placement and keep it only if it is better). */
  clone(): SlotUsage {
    const copy = new SlotUsage(this.model);
    copy.hosts.set(this.hosts);
    copy.minutes.set(this.minutes);
    copy.services.clear();
    for (const [k, v] of this.services) copy.services.set(k, v);
    return copy;
  }
  add(j: number, s: number): void {
    const m = this.model;
    this.hosts[s] = (this.hosts[s] ?? 0) + 1;
    this.minutes[s] = (this.minutes[s] ?? 0) + (m.problem.jobs[j]?.durationMinutes ?? 0);
    for (const v of m.jobServices[j] ?? []) {
      const key = v * m.problem.slots.length + s;
      this.services.set(key, (this.services.get(key) ?? 0) + 1);
    }
  }
}

/** Jobs of each ring, in the order the greedy considers them (dependencies first, then priority). */
export function getRingOrders(model: PlanModel, order: GreedyOrder): number[][] {
  const { jobs, rings, dependencies } = model.problem;
  const index = new Map(jobs.map((job, j) => [job.id, j]));
  const level = new Int32Array(jobs.length);
  for (let pass = 0; pass < jobs.length; pass++) {
    let changed = false;
    for (const [a, b] of dependencies) {
      const ia = index.get(a);
      const ib = index.get(b);
      if (ia === undefined || ib === undefined) continue;
      if ((level[ib] ?? 0) <= (level[ia] ?? 0)) {
        level[ib] = (level[ia] ?? 0) + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const key = (j: number): number => {
    const job = jobs[j];
    if (!job) return 0;
    if (order === 'density') return -job.riskRate / job.durationMinutes;
    return job.dueDate?.getTime() ?? Number.MAX_SAFE_INTEGER;
  };
  const byRing: number[][] = rings.map(() => []);
  jobs.forEach((job, j) => {
    byRing[Math.min(job.ring, rings.length - 1)]?.push(j);
  });
  for (const list of byRing) {
    list.sort((a, b) => (level[a] ?? 0) - (level[b] ?? 0) || key(a) - key(b) || a - b);
  }
  return byRing;
}

/** Predecessors of each job (indices). */
export function getPredecessors(model: PlanModel): number[][] {
  const index = new Map(model.problem.jobs.map((job, j) => [job.id, j]));
  const preds: number[][] = model.problem.jobs.map(() => []);
  for (const [a, b] of model.problem.dependencies) {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia !== undefined && ib !== undefined) preds[ib]?.push(ia);
  }
  return preds;
}

/** Ring release times (hours): ring r may start once ring r−1 has ended plus its soak. */
export interface RingTimes {
  release: Float64Array;
  finish: Float64Array;
  /** Index of the first ring that could not complete (later rings cannot start), or rings.length. */
  blockedFrom: number;
}

/**
 * Places each job into the earliest occurrence that fits — capacity, availability, its group's
 * windows, ring order + soak, dependencies — considering jobs in `order`. `fixed` pins started jobs.
 */
export function makeGreedyPlacement(
  model: PlanModel,
  order: GreedyOrder,
  fixed?: ReadonlyMap<number, number>,
): { placement: Int32Array; rings: RingTimes } {
  const { jobs, rings } = model.problem;
  const placement = new Int32Array(jobs.length).fill(-1);
  const usage = new SlotUsage(model);
  const preds = getPredecessors(model);
  const times: RingTimes = {
    release: new Float64Array(rings.length),
    finish: new Float64Array(rings.length),
    blockedFrom: rings.length,
  };
  let release = Number.NEGATIVE_INFINITY;
  for (const [r, list] of getRingOrders(model, order).entries()) {
    times.release[r] = release;
    const blocked = r >= times.blockedFrom;
    let finish = model.ringFloor[r] ?? Number.NEGATIVE_INFINITY;
    let complete = true;
    for (const j of list) {
      const pinned = fixed?.get(j);
      if (blocked && pinned === undefined) continue;
      const s = pinned ?? findSlot(model, usage, j, release, preds[j] ?? [], placement);
      if (s >= 0) {
        placement[j] = s;
        if (pinned === undefined) usage.add(j, s);
        finish = Math.max(finish, model.endH[s] ?? 0);
      } else if ((model.eligible[j]?.length ?? 0) > 0) complete = false;
    }
    times.finish[r] = finish;
    if (!complete && !blocked) times.blockedFrom = r + 1;
    if (finish > Number.NEGATIVE_INFINITY) {
      release = finish + (rings[r]?.soakMinutes ?? 0) / 60;
    }
  }
  return { placement, rings: times };
}

function findSlot(
  model: PlanModel,
  usage: SlotUsage,
  j: number,
  release: number,
  preds: readonly number[],
  placement: Int32Array,
): number {
  let earliest = release;
  for (const p of preds) {
    const ps = placement[p] ?? -1;
    if (ps < 0) return -1;
    earliest = Math.max(earliest, model.endH[ps] ?? 0);
  }
  for (const s of model.eligible[j] ?? []) {
    if ((model.startH[s] ?? 0) < earliest) continue;
    if (usage.fits(j, s)) return s;
  }
  return -1;
}
