import { getEarliestFinish } from './bound.js';
import { getPredecessors, type makeGreedyPlacement, SlotUsage } from './heuristic.js';
import { type Block, type HighsSolver, solveBlock } from './milp.js';
import { getAssignmentCost, type PlanModel } from './model.js';

/** Settings for the ring-by-ring decomposition. */
export interface RingBlockOptions {
  /** Blocks with more x variables than this keep their warm start. */
  maxBinaries: number;
  /** Candidate occurrences per job (the earliest feasible ones). */
  candidatesPerJob: number;
  /** performance.now() by which HiGHS must stop. */
  deadline: number;
}

type Greedy = ReturnType<typeof makeGreedyPlacement>;

/**
 * Ring by ring, a MILP per independent block (jobs sharing occurrences, services or dependencies).
 * Each ring but the last first tries to finish by its earliest possible end (the bound's counting
 * conditions): an earlier finish releases every later ring sooner. If that leaves a job out, a ring
 * the greedy completed is capped at the greedy's finish instead, so the greedy stays feasible for it
 * and every later ring. Each block keeps the better of its warm start and its MILP.
 */
export function solveRingBlocks(
  highs: HighsSolver,
  model: PlanModel,
  greedy: Greedy,
  fixed: ReadonlyMap<number, number>,
  options: RingBlockOptions,
  notes: string[],
): Int32Array {
  const { rings, jobs } = model.problem;
  const placement = new Int32Array(jobs.length).fill(-1);
  for (const [j, s] of fixed) placement[j] = s;
  let usage = new SlotUsage(model);
  const preds = getPredecessors(model);
  let release = Number.NEGATIVE_INFINITY;
  let blocked = false;
  for (let r = 0; r < rings.length; r++) {
    const ringJobs = jobs.flatMap((job, j) => (job.ring === r && !fixed.has(j) ? [j] : []));
    let finish = model.ringFloor[r] ?? Number.NEGATIVE_INFINITY;
    for (const [j, s] of fixed) if (jobs[j]?.ring === r) finish = Math.max(finish, model.endH[s] ?? 0);
    if (blocked && ringJobs.length > 0)
      notes.push(`ring ${rings[r]?.id} not planned: an earlier ring cannot finish in the horizon`);
    if (!blocked && ringJobs.length > 0) {
      const ring: RingContext = { r, jobs: ringJobs, release, usage, placement, preds, greedy };
      const last = !jobs.some((job, j) => job.ring > r && !fixed.has(j));
      const greedyCap =
        !last && greedy.rings.blockedFrom > r + 1 && release <= (greedy.rings.release[r] ?? 0)
          ? greedy.rings.finish[r]
          : undefined;
      const plannable = ringJobs.filter((j) => (model.eligible[j]?.length ?? 0) > 0);
      const earliest = getEarliestFinish(model, plannable, release, preds);
      let tried = Number.isFinite(earliest)
        ? solveRing(highs, model, ring, earliest, options, notes)
        : undefined;
      if (!tried?.complete) tried = solveRing(highs, model, ring, greedyCap, options, notes);
      usage = tried.usage;
      tried.chosen.forEach((s, j) => {
        placement[j] = s;
        if (s >= 0) finish = Math.max(finish, model.endH[s] ?? 0);
      });
      blocked = !tried.complete;
    }
    if (finish > Number.NEGATIVE_INFINITY) release = finish + (rings[r]?.soakMinutes ?? 0) / 60;
  }
  return placement;
}

interface RingContext {
  r: number;
  jobs: number[];
  release: number;
  usage: SlotUsage;
  placement: Int32Array;
  preds: number[][];
  greedy: Greedy;
}

/** One ring's blocks with slots ending by `cap` (if any), on a copy of the usage. */
function solveRing(
  highs: HighsSolver,
  model: PlanModel,
  ring: RingContext,
  cap: number | undefined,
  options: RingBlockOptions,
  notes: string[],
): { chosen: Map<number, number>; usage: SlotUsage; complete: boolean } {
  const usage = ring.usage.clone();
  const local = Int32Array.from(ring.placement);
  const greedyValid = ring.release <= (ring.greedy.rings.release[ring.r] ?? 0);
  const candidates = ring.jobs.map((j) =>
    getCandidates(
      model,
      j,
      ring.release,
      cap,
      greedyValid ? (ring.greedy.placement[j] ?? -1) : -1,
      options.candidatesPerJob,
    ),
  );
  const chosen = new Map<number, number>();
  let complete = true;
  for (const component of getComponents(model, ring.jobs, candidates)) {
    const block: Block = {
      jobs: component.map((k) => ring.jobs[k] ?? 0),
      candidates: component.map((k) => candidates[k] ?? []),
    };
    block.warm = getWarmStart(
      model,
      block,
      greedyValid ? ring.greedy.placement : undefined,
      usage,
      ring.preds,
      local,
    );
    const label = `ring ${model.problem.rings[ring.r]?.id}`;
    solveOne(highs, model, block, options, label, notes).forEach((s, k) => {
      const j = block.jobs[k] ?? 0;
      chosen.set(j, s);
      local[j] = s;
      if (s >= 0) usage.add(j, s);
      else if ((model.eligible[j]?.length ?? 0) > 0) complete = false;
    });
  }
  return { chosen, usage, complete };
}

function solveOne(
  highs: HighsSolver,
  model: PlanModel,
  block: Block,
  options: RingBlockOptions,
  label: string,
  notes: string[],
): Int32Array {
  const warm = block.warm ?? new Int32Array(block.jobs.length).fill(-1);
  const size = block.candidates.reduce((n, c) => n + c.length, 0);
  const remaining = (options.deadline - performance.now()) / 1000;
  if (size > options.maxBinaries || remaining < 0.2) {
    const why = size > options.maxBinaries ? 'too large' : 'time limit';
    notes.push(`a block of ${block.jobs.length} jobs in ${label} kept its warm start (${why})`);
    return warm;
  }
  const solved = solveBlock(highs, model, block, { relax: false, timeLimit: remaining * 0.5 });
  if (solved.status === 'time-limit')
    notes.push(`${label}: HiGHS stopped at its time limit on a block of ${block.jobs.length} jobs`);
  if (
    solved.status !== 'failed' &&
    getBlockCost(model, block, solved.placement) <= getBlockCost(model, block, warm)
  )
    return solved.placement;
  return warm;
}

/** Union-find over a ring's jobs: linked by shared slots, services or dependencies. */
function getComponents(model: PlanModel, jobs: number[], candidates: number[][]): number[][] {
  const parent = Int32Array.from(jobs, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      const up = parent[parent[k] ?? k] ?? k;
      parent[k] = up;
      k = up;
    }
    return k;
  };
  const owner = new Map<string, number>();
  const link = (key: string, k: number) => {
    if (k < 0) return;
    const o = owner.get(key);
    if (o === undefined) owner.set(key, k);
    else parent[find(k)] = find(o);
  };
  jobs.forEach((j, k) => {
    for (const s of candidates[k] ?? []) link(`s${s}`, k);
    for (const v of model.jobServices[j] ?? []) link(`v${v}`, k);
  });
  const position = new Map(jobs.map((j, k) => [model.problem.jobs[j]?.id, k]));
  for (const [a, b] of model.problem.dependencies) {
    link(`d${a}`, position.get(a) ?? -1);
    link(`d${a}`, position.get(b) ?? -1);
  }
  const groups = new Map<number, number[]>();
  jobs.forEach((_, k) => {
    const root = find(k);
    const list = groups.get(root);
    if (list) list.push(k);
    else groups.set(root, [k]);
  });
  return [...groups.values()];
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
