import { getLowerBound } from './bound.js';
import { getViolations } from './check.js';
import { getExactSize, solveExact } from './exact.js';
import { makeGreedyPlacement } from './heuristic.js';
import { loadHighs } from './milp.js';
import { getObjective, type PlanModel } from './model.js';
import { solveRingBlocks } from './ring-blocks.js';

/** How to solve and how long to try. */
export interface SolveOptions {
  method?: 'auto' | 'milp' | 'greedy';
  /** Wall-clock budget for HiGHS over all blocks, seconds. */
  timeLimitSeconds?: number;
  /** Blocks with more x variables than this keep the greedy placement. */
  maxBinaries?: number;
  /** Candidate occurrences per job in the MILP (the earliest feasible ones). */
  candidatesPerJob?: number;
  /** Problems with at most this many x variables are also solved as one exact MILP. */
  exactMaxBinaries?: number;
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
  /** The lower bound came out above the objective: the bound is wrong and is shown uncapped. */
  boundExceedsObjective?: boolean;
}

/**
 * Greedy warm start; then ring by ring a MILP per block; small problems also as one exact MILP
 * (ring order included) warm-started from the best so far. The best valid placement wins.
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
  const deadline = started + budget * 1000;
  let bound = (await getLowerBound(model, fixed, budget * 0.25)).value;
  let best = {
    placement: greedy.placement,
    objective: greedyObjective,
    method: 'greedy' as 'milp' | 'greedy',
  };
  const offer = (placement: Int32Array | undefined, method: 'milp' | 'greedy') => {
    if (!placement) return;
    const objective = getObjective(model, placement);
    if (objective >= best.objective - 1e-9) return;
    if (getViolations(model, placement, new Set(fixed.keys())).length > 0) return;
    best = { placement, objective, method };
  };
  if (options.method !== 'greedy') {
    const highs = await loadHighs();
    const ringOptions = {
      maxBinaries: options.maxBinaries ?? 40_000,
      candidatesPerJob: options.candidatesPerJob ?? 10,
      deadline,
    };
    offer(solveRingBlocks(highs, model, greedy, fixed, ringOptions, notes), 'milp');
    const remaining = (deadline - performance.now()) / 1000;
    const open = best.objective - bound > 1e-7 * Math.max(1, best.objective);
    if (open && getExactSize(model) <= (options.exactMaxBinaries ?? 3000) && remaining > 0.1) {
      const exact = solveExact(highs, model, fixed, { timeLimit: remaining, warm: best.placement });
      offer(exact.placement, 'milp');
      // Without started or carried-over jobs the exact model is the plan's whole rule set, so its
      // proven dual bound is valid for every plan.
      const pure = fixed.size === 0 && !model.problem.carriedRingEnds?.some(Boolean);
      if (pure && exact.optimal) bound = Math.max(bound, Math.min(exact.bound, best.objective));
    }
    if (best.method === 'greedy')
      notes.push('the MILP did not improve on the greedy plan; keeping the greedy plan');
  }
  const objective = best.objective;
  const check = checkBound(objective, bound);
  if (check.boundExceedsObjective) notes.push(check.note);
  return {
    placement: best.placement,
    objective,
    bound: check.boundExceedsObjective ? bound : Math.min(bound, objective),
    gap: check.gap,
    ...(check.boundExceedsObjective ? { boundExceedsObjective: true } : {}),
    solveSeconds: (performance.now() - started) / 1000,
    method: best.method,
    greedyObjective,
    notes,
  };
}

/**
 * The gap of an objective against its lower bound. A bound above the objective (beyond rounding) is
 * not capped: it means the bound is wrong, so it is flagged and the (negative) gap is kept visible.
 */
export function checkBound(
  objective: number,
  bound: number,
):
  | { gap: number; boundExceedsObjective: false }
  | { gap: number; boundExceedsObjective: true; note: string } {
  const tolerance = 1e-6 * Math.max(1, Math.abs(objective));
  const gap = objective > 0 ? (objective - bound) / objective : 0;
  if (bound <= objective + tolerance) return { gap: Math.max(0, gap), boundExceedsObjective: false };
  return {
    gap,
    boundExceedsObjective: true,
    note: `the lower bound ${bound.toFixed(3)} exceeds the objective ${objective.toFixed(3)}: the bound is wrong (please report it), so the gap proves nothing`,
  };
}
