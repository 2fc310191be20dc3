import { getPredecessors, makeGreedyPlacement, SlotUsage } from './heuristic.js';
import { type Block, loadHighs, solveBlock } from './milp.js';
import { getAssignmentCost, getObjective, type PlanModel } from './model.js';

/** How to solve and how long to try. */
export interface SolveOptions {
  method?: 'auto' | 'milp' | 'greedy';
  /** Wall-clock budget for HiGHS over all blocks, seconds. */
  timeLimitSeconds?: number;
  /** Blocks with more x variables than this keep the greedy placement. */
  maxBinaries?: number;
  /** Candidate occurrences per job in the MILP (the earliest feasible ones). */
  candidatesPerJob?: number;
}

/** A solved placement with its quality figures. */
export interface SolveResult {
  placement: Int32Array;
  objective: number;
  bound: number;
  gap: number;
  solveSeconds: number;
  method: 'milp' | 'greedy';
  greedyObjective: number;
  notes: string[];
}

/** Union-find over a ring's jobs: linked by shared slots, services or dependencies. */
function getComponents(model: PlanModel, jobs: number[], candidates: number[][]): number[][] {
  const parent = jobs.map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k] ?? k] ?? k;
    return k;
  };
  const owner = new Map<string, number>();
  const link = (key: string, k: number) => {
    const o = owner.get(key);
    if (o === undefined) owner.set(key, k);
    else parent[find(k)] = find(o);
  };
  const ids = model.problem.jobs;
  jobs.forEach((j, k) => {
    for (const s of candidates[k] ?? []) link(`s${s}`, k);
    for (const v of model.jobServices[j] ?? []) link(`v${v}`, k);
  });
  for (const [a, b] of model.problem.dependencies) {
    link(
      `d${a}`,
      jobs.findIndex((j) => ids[j]?.id === a),
    );
    link(
      `d${a}`,
      jobs.findIndex((j) => ids[j]?.id === b),
    );
  }
  const groups = new Map<number, number[]>();
  jobs.forEach((_, k) => {
    groups.set(find(k), [...(groups.get(find(k)) ?? []), k]);
  });
  return [...groups.values()];
}

/**
 * Greedy warm start, then ring by ring a MILP per independent block (shared slots/services), each
 * ring capped to finish no later than the greedy's so the greedy stays feasible; the better wins.
 */
export async function solvePlacement(
  model: PlanModel,
  options: SolveOptions = {},
  fixed: ReadonlyMap<number, number> = new Map(),
): Promise<SolveResult> {
  const started = performance.now();
  const greedy = makeGreedyPlacement(model, 'density', fixed);
  const greedyObjective = getObjective(model, greedy.placement);
  const notes: string[] = [];
  const budget = options.timeLimitSeconds ?? 20;
  const bound = await getLowerBound(model, fixed, budget * 0.25);
  const result = (placement: Int32Array, method: 'milp' | 'greedy'): SolveResult => {
    const objective = getObjective(model, placement);
    return {
      placement,
      objective,
      bound: Math.min(bound, objective),
      gap: objective > 0 ? (objective - Math.min(bound, objective)) / objective : 0,
      solveSeconds: (performance.now() - started) / 1000,
      method,
      greedyObjective,
      notes,
    };
  };
  if (options.method === 'greedy') return result(greedy.placement, 'greedy');
  const highs = await loadHighs();
  const { rings } = model.problem;
  const placement = new Int32Array(model.problem.jobs.length).fill(-1);
  for (const [j, s] of fixed) placement[j] = s;
  const usage = new SlotUsage(model);
  const preds = getPredecessors(model);
  const deadline = started + budget * 1000;
  let release = Number.NEGATIVE_INFINITY;
  let blocked = false;
  for (let r = 0; r < rings.length; r++) {
    const jobs = model.problem.jobs.flatMap((job, j) => (job.ring === r && !fixed.has(j) ? [j] : []));
    const cap =
      greedy.rings.blockedFrom > r && release <= (greedy.rings.release[r] ?? 0)
        ? greedy.rings.finish[r]
        : undefined;
    const candidates = jobs.map((j) =>
      getCandidates(model, j, release, cap, greedy.placement[j] ?? -1, options.candidatesPerJob ?? 10),
    );
    let finish = Number.NEGATIVE_INFINITY;
    for (const [j, s] of fixed)
      if (model.problem.jobs[j]?.ring === r) finish = Math.max(finish, model.endH[s] ?? 0);
    if (blocked || jobs.length === 0) {
      if (jobs.length > 0)
        notes.push(`ring ${rings[r]?.id} not planned: an earlier ring cannot finish in the horizon`);
      continue;
    }
    for (const component of getComponents(model, jobs, candidates)) {
      const block: Block = {
        jobs: component.map((k) => jobs[k] ?? 0),
        candidates: component.map((k) => candidates[k] ?? []),
      };
      const warm = getWarmStart(
        model,
        block,
        cap === undefined ? undefined : greedy.placement,
        usage,
        preds,
        placement,
      );
      block.warm = warm;
      const size = block.candidates.reduce((n, c) => n + c.length, 0);
      const remaining = (deadline - performance.now()) / 1000;
      let chosen = warm;
      if (size > (options.maxBinaries ?? 40_000) || remaining < 0.2) {
        notes.push(
          `a block of ${block.jobs.length} jobs in ring ${rings[r]?.id} kept the greedy placement (${size > (options.maxBinaries ?? 40_000) ? 'too large' : 'time limit'})`,
        );
      } else {
        const solved = solveBlock(highs, model, block, { relax: false, timeLimit: remaining * 0.5 });
        if (
          solved.status !== 'failed' &&
          getBlockCost(model, block, solved.placement) <= getBlockCost(model, block, warm)
        )
          chosen = solved.placement;
        if (solved.status === 'time-limit')
          notes.push(
            `ring ${rings[r]?.id}: HiGHS stopped at its time limit on a block of ${block.jobs.length} jobs`,
          );
      }
      chosen.forEach((s, k) => {
        const j = block.jobs[k] ?? 0;
        placement[j] = s;
        if (s >= 0) {
          usage.add(j, s);
          finish = Math.max(finish, model.endH[s] ?? 0);
        } else if ((model.eligible[j]?.length ?? 0) > 0) blocked = true;
      });
    }
    if (finish > Number.NEGATIVE_INFINITY) release = finish + (rings[r]?.soakMinutes ?? 0) / 60;
  }
  const milpObjective = getObjective(model, placement);
  if (milpObjective <= greedyObjective + 1e-9) return result(placement, 'milp');
  notes.push('the MILP did not improve on the greedy plan; keeping the greedy plan');
  return result(greedy.placement, 'greedy');
}

function getCandidates(
  model: PlanModel,
  j: number,
  release: number,
  cap: number | undefined,
  greedySlot: number,
  limit: number,
): number[] {
  const list: number[] = [];
  for (const s of model.eligible[j] ?? []) {
    if ((model.startH[s] ?? 0) < release || (cap !== undefined && (model.endH[s] ?? 0) > cap)) continue;
    if (list.length < limit || s === greedySlot) list.push(s);
  }
  return list;
}

function getBlockCost(model: PlanModel, block: Block, placement: Int32Array): number {
  let total = 0;
  placement.forEach((s, k) => {
    const j = block.jobs[k] ?? 0;
    total += s < 0 ? (model.unscheduledCost[j] ?? 0) : getAssignmentCost(model, j, s);
  });
  return total;
}

/** The greedy's placement when it lies within the candidates, else a fresh greedy over the block. */
function getWarmStart(
  model: PlanModel,
  block: Block,
  greedy: Int32Array | undefined,
  usage: SlotUsage,
  preds: number[][],
  placement: Int32Array,
): Int32Array {
  const warm = new Int32Array(block.jobs.length).fill(-1);
  if (
    greedy &&
    block.jobs.every((j, k) => (greedy[j] ?? -1) < 0 || block.candidates[k]?.includes(greedy[j] ?? -1))
  ) {
    block.jobs.forEach((j, k) => {
      warm[k] = greedy[j] ?? -1;
    });
    return warm;
  }
  const trial = new SlotUsage(model);
  trial.hosts.set(usage.hosts);
  trial.minutes.set(usage.minutes);
  for (const [key, v] of usage.services) trial.services.set(key, v);
  const local = Int32Array.from(placement);
  const order = block.jobs.map((_, k) => k);
  order.sort((a, b) => (preds[block.jobs[a] ?? 0]?.length ?? 0) - (preds[block.jobs[b] ?? 0]?.length ?? 0));
  for (const k of order) {
    const j = block.jobs[k] ?? 0;
    const after = Math.max(
      Number.NEGATIVE_INFINITY,
      ...(preds[j] ?? []).map((p) =>
        (local[p] ?? -1) >= 0 ? (model.endH[local[p] ?? 0] ?? 0) : Number.POSITIVE_INFINITY,
      ),
    );
    const s =
      (block.candidates[k] ?? []).find((c) => (model.startH[c] ?? 0) >= after && trial.fits(j, c)) ?? -1;
    if (s >= 0) trial.add(j, s);
    warm[k] = s;
    local[j] = s;
  }
  return warm;
}

/**
 * A valid lower bound: ring release times can be no earlier than each ring's earliest possible
 * finish (ignoring capacity) plus soak; with those, each ring/block is relaxed to its LP.
 */
export async function getLowerBound(
  model: PlanModel,
  fixed: ReadonlyMap<number, number>,
  seconds: number,
): Promise<number> {
  const { jobs, rings } = model.problem;
  const highs = await loadHighs();
  const deadline = performance.now() + seconds * 1000;
  let total = 0;
  for (const [j, s] of fixed) total += getAssignmentCost(model, j, s);
  let release = Number.NEGATIVE_INFINITY;
  let blocked = false;
  for (let r = 0; r < rings.length; r++) {
    const ringJobs = jobs.flatMap((job, j) => (job.ring === r && !fixed.has(j) ? [j] : []));
    const candidates = ringJobs.map((j) =>
      [...(model.eligible[j] ?? [])].filter((s) => !blocked && (model.startH[s] ?? 0) >= release),
    );
    let finish = Number.NEGATIVE_INFINITY;
    for (const [j, s] of fixed) if (jobs[j]?.ring === r) finish = Math.max(finish, model.endH[s] ?? 0);
    ringJobs.forEach((j, k) => {
      const first = candidates[k]?.[0];
      if (first !== undefined) finish = Math.max(finish, model.endH[first] ?? 0);
      else if ((model.eligible[j]?.length ?? 0) > 0) blocked = true;
    });
    for (const component of ringJobs.length > 0 ? getComponents(model, ringJobs, candidates) : []) {
      const block: Block = {
        jobs: component.map((k) => ringJobs[k] ?? 0),
        candidates: component.map((k) => candidates[k] ?? []),
      };
      let trivial = 0;
      block.jobs.forEach((j, k) => {
        trivial += Math.min(
          model.unscheduledCost[j] ?? 0,
          ...(block.candidates[k] ?? []).map((s) => getAssignmentCost(model, j, s)),
        );
      });
      const remaining = (deadline - performance.now()) / 1000;
      const lp =
        remaining > 0.1 ? solveBlock(highs, model, block, { relax: true, timeLimit: remaining }) : undefined;
      total += lp && lp.status === 'optimal' ? Math.max(trivial, lp.bound) : trivial;
    }
    if (finish > Number.NEGATIVE_INFINITY) release = finish + (rings[r]?.soakMinutes ?? 0) / 60;
  }
  return total;
}
