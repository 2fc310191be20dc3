import type { PlanModel } from './model.js';
import { getAssignmentCost } from './model.js';

/** The part of the `highs` persistent API used here. */
interface HighsModel {
  options: { set(values: Record<string, string | number | boolean>): unknown };
  info: { get(name: string): unknown };
  getColByName(name: string): number;
  setSolution(solution: { indices: number[]; values: number[] }): unknown;
  run(): { modelStatus: number };
  getSolution(): { colValue: Float64Array };
  getObjectiveValue(): number;
  dispose(): void;
}
/** The loaded HiGHS module. */
export interface HighsSolver {
  createModel(source: { format: 'lp'; data: string }): HighsModel;
}

let solverPromise: Promise<HighsSolver> | undefined;

/** Loads HiGHS (WebAssembly) once per process. */
export function loadHighs(): Promise<HighsSolver> {
  solverPromise ??= import('highs').then(async (m) => {
    const factory = (m as unknown as { default: () => Promise<HighsSolver> }).default;
    return factory();
  });
  return solverPromise;
}

/** One sub-problem: some jobs, each with candidate slots. */
export interface Block {
  jobs: number[];
  /** Candidate slot indices per job (same order as `jobs`). */
  candidates: number[][];
  /** A feasible placement to start from (slot index or −1 per job), if known. */
  warm?: Int32Array;
}

/** The outcome of solving one block. */
export interface BlockResult {
  /** Slot index or −1 per job of the block. */
  placement: Int32Array;
  objective: number;
  /** Lower bound on this block's objective (MIP dual bound, or the LP value when relaxed). */
  bound: number;
  status: 'optimal' | 'time-limit' | 'failed';
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(6));

/** Writes the block as CPLEX LP text: x{k}_{s} binaries, u{k} "not in the horizon". */
export function makeBlockLp(model: PlanModel, block: Block, relax: boolean): string {
  const { problem } = model;
  const objective: string[] = [];
  const rows: string[] = [];
  const bySlot = new Map<number, number[]>();
  const bySlotService = new Map<number, number[]>();
  const nSlots = problem.slots.length;
  const pos = new Map(block.jobs.map((j, k) => [j, k]));
  block.jobs.forEach((j, k) => {
    const assign: string[] = [];
    for (const s of block.candidates[k] ?? []) {
      objective.push(`${fmt(getAssignmentCost(model, j, s))} x${k}_${s}`);
      assign.push(`x${k}_${s}`);
      bySlot.set(s, [...(bySlot.get(s) ?? []), k]);
      for (const v of model.jobServices[j] ?? []) {
        const key = v * nSlots + s;
        bySlotService.set(key, [...(bySlotService.get(key) ?? []), k]);
      }
    }
    objective.push(`${fmt(model.unscheduledCost[j] ?? 0)} u${k}`);
    rows.push(`a${k}: ${[...assign, `u${k}`].join(' + ')} = 1`);
  });
  for (const [s, ks] of bySlot) {
    const slot = problem.slots[s];
    if (!slot) continue;
    const hosts = slot.capacity - (model.used.hosts[s] ?? 0);
    if (ks.length > hosts) rows.push(`h${s}: ${ks.map((k) => `x${k}_${s}`).join(' + ')} <= ${hosts}`);
    const minutes = (model.minuteBudget[s] ?? 0) - (model.used.minutes[s] ?? 0);
    const total = ks.reduce((sum, k) => sum + (problem.jobs[block.jobs[k] ?? 0]?.durationMinutes ?? 0), 0);
    if (total > minutes) {
      const terms = ks.map((k) => `${problem.jobs[block.jobs[k] ?? 0]?.durationMinutes ?? 0} x${k}_${s}`);
      rows.push(`m${s}: ${terms.join(' + ')} <= ${fmt(Math.max(0, minutes))}`);
    }
  }
  for (const [key, ks] of bySlotService) {
    const v = Math.floor(key / nSlots);
    const s = key % nSlots;
    const limit = (model.serviceLimit[v] ?? 1) - (model.used.services.get(key) ?? 0);
    if (ks.length > limit)
      rows.push(`v${key}: ${ks.map((k) => `x${k}_${s}`).join(' + ')} <= ${Math.max(0, limit)}`);
  }
  addDependencyRows(model, block, pos, rows);
  const columns = block.jobs.flatMap((_, k) => [
    ...(block.candidates[k] ?? []).map((s) => `x${k}_${s}`),
    `u${k}`,
  ]);
  return [
    'Minimize',
    ` obj: ${wrap(objective)}`,
    'Subject To',
    ...rows.map((r) => ` ${wrap(r.split(' + '))}`),
    'Bounds',
    ...columns.map((c) => ` 0 <= ${c} <= 1`),
    ...(relax ? [] : ['Binaries', ` ${wrap(columns, ' ')}`]),
    'End',
  ].join('\n');
}

function wrap(terms: string[], sep = ' + '): string {
  const lines: string[] = [];
  for (let i = 0; i < terms.length; i += 40) lines.push(terms.slice(i, i + 40).join(sep));
  return lines.join(`${sep.trim() ? sep : ''}\n  `);
}

/** end(A) ≤ start(B) at slot level, B unscheduled if A is (both in the block). */
function addDependencyRows(model: PlanModel, block: Block, pos: Map<number, number>, rows: string[]): void {
  const index = new Map(model.problem.jobs.map((job, j) => [job.id, j]));
  const bigM = model.horizonH + 1e4;
  model.problem.dependencies.forEach(([a, b], i) => {
    const ka = pos.get(index.get(a) ?? -1);
    const kb = pos.get(index.get(b) ?? -1);
    if (ka === undefined || kb === undefined) return;
    const terms = [
      ...(block.candidates[ka] ?? []).map((s) => `${fmt(model.endH[s] ?? 0)} x${ka}_${s}`),
      ...(block.candidates[kb] ?? []).map((s) => `${fmt(-(model.startH[s] ?? 0))} x${kb}_${s}`),
      `${fmt(-bigM)} u${kb}`,
    ];
    rows.push(`d${i}: ${terms.join(' + ').replace(/\+ -/g, '- ')} <= 0`);
    rows.push(`e${i}: u${kb} - u${ka} >= 0`);
  });
}

/** Solves a block with HiGHS within `timeLimit` seconds; MILP unless `relax`. */
export function solveBlock(
  highs: HighsSolver,
  model: PlanModel,
  block: Block,
  options: { relax: boolean; timeLimit: number },
): BlockResult {
  const placement = new Int32Array(block.jobs.length).fill(-1);
  const lp = makeBlockLp(model, block, options.relax);
  const solver = highs.createModel({ format: 'lp', data: lp });
  try {
    solver.options.set({
      output_flag: false,
      time_limit: Math.max(0.05, options.timeLimit),
      mip_rel_gap: 1e-4,
    });
    if (block.warm && !options.relax) {
      const indices: number[] = [];
      block.warm.forEach((s, k) => {
        indices.push(solver.getColByName(s >= 0 ? `x${k}_${s}` : `u${k}`));
      });
      solver.setSolution({ indices, values: indices.map(() => 1) });
    }
    const run = solver.run();
    const status = run.modelStatus === 7 ? 'optimal' : run.modelStatus === 13 ? 'time-limit' : 'failed';
    const values = solver.getSolution().colValue;
    if (values.length === 0) return { placement, objective: Number.NaN, bound: 0, status: 'failed' };
    block.jobs.forEach((_, k) => {
      for (const s of block.candidates[k] ?? []) {
        if ((values[solver.getColByName(`x${k}_${s}`)] ?? 0) > 0.5) placement[k] = s;
      }
    });
    const objective = solver.getObjectiveValue();
    const dual = options.relax ? objective : Number(solver.info.get('mip_dual_bound'));
    return { placement, objective, bound: Number.isFinite(dual) ? dual : 0, status };
  } finally {
    solver.dispose();
  }
}
