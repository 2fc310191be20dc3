import { getPredecessors } from './heuristic.js';
import type { PlanModel } from './model.js';

/**
 * Every rule a placement must keep, checked independently of how it was made: group windows and
 * freezes (only unfrozen occurrences exist), hosts, job-minutes, service availability, ring order
 * with soak, dependencies, and no ring placed past an incomplete one. Returns the violations in words (empty when valid).
 */
export function getViolations(
  model: PlanModel,
  placement: Int32Array,
  fixed: ReadonlySet<number> = new Set(),
): string[] {
  const { problem } = model;
  const problems: string[] = [];
  const hosts = new Map<number, number>();
  const minutes = new Map<number, number>();
  const services = new Map<string, number>();
  placement.forEach((s, j) => {
    if (s < 0) return;
    const job = problem.jobs[j];
    if (!job) return;
    if (!fixed.has(j) && !model.eligible[j]?.includes(s))
      problems.push(`${job.id} in ${problem.slots[s]?.id}, not a window of group ${job.group}`);
    hosts.set(s, (hosts.get(s) ?? 0) + 1);
    minutes.set(s, (minutes.get(s) ?? 0) + job.durationMinutes);
    for (const v of model.jobServices[j] ?? [])
      services.set(`${v}:${s}`, (services.get(`${v}:${s}`) ?? 0) + 1);
  });
  for (const [s, n] of hosts)
    if (n > (problem.slots[s]?.capacity ?? 0)) problems.push(`${problem.slots[s]?.id}: ${n} hosts`);
  for (const [s, n] of minutes)
    if (n > (model.minuteBudget[s] ?? 0) + 1e-6) problems.push(`${problem.slots[s]?.id}: ${n} job-minutes`);
  for (const [key, n] of services) {
    const v = Number(key.split(':')[0]);
    if (n > (model.serviceLimit[v] ?? 1))
      problems.push(`service ${model.serviceNames[v]}: ${n} down in one window`);
  }
  getPredecessors(model).forEach((preds, b) => {
    const sb = placement[b] ?? -1;
    for (const a of preds) {
      const sa = placement[a] ?? -1;
      if (sb >= 0 && (sa < 0 || (model.endH[sa] ?? 0) > (model.startH[sb] ?? 0) + 1e-9))
        problems.push(`${problem.jobs[b]?.id} before its dependency`);
    }
  });
  problems.push(...getBlockingViolations(model, placement, fixed));
  let finish = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < problem.rings.length; r++) {
    let ringFinish = model.ringFloor[r] ?? Number.NEGATIVE_INFINITY;
    placement.forEach((s, j) => {
      if (s < 0 || problem.jobs[j]?.ring !== r) return;
      if (!fixed.has(j) && (model.startH[s] ?? 0) < finish - 1e-9)
        problems.push(`${problem.jobs[j]?.id} starts before ring ${r - 1} ended + soak`);
      ringFinish = Math.max(ringFinish, model.endH[s] ?? 0);
    });
    if (ringFinish > Number.NEGATIVE_INFINITY)
      finish = ringFinish + (problem.rings[r]?.soakMinutes ?? 0) / 60;
  }
  return problems;
}

/** A rollout never promotes past an unfinished ring: no new job after a ring that left a plannable job out. */
function getBlockingViolations(
  model: PlanModel,
  placement: Int32Array,
  fixed: ReadonlySet<number>,
): string[] {
  const { jobs, rings } = model.problem;
  const incomplete = new Uint8Array(rings.length);
  const placed = new Uint8Array(rings.length);
  placement.forEach((s, j) => {
    const ring = jobs[j]?.ring ?? 0;
    if (fixed.has(j)) return;
    if (s >= 0) placed[ring] = 1;
    else if ((model.eligible[j]?.length ?? 0) > 0) incomplete[ring] = 1;
  });
  const problems: string[] = [];
  let open = -1;
  for (let r = 0; r < rings.length; r++) {
    if (open >= 0 && placed[r])
      problems.push(`ring ${rings[r]?.id} placed while ring ${rings[open]?.id} is incomplete`);
    if (open < 0 && incomplete[r]) open = r;
  }
  return problems;
}
