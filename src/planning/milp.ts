import type { Highs, ModelData } from 'highs';
import type { PlanModel } from './model.js';
import { getAssignmentCost } from './model.js';

/** The loaded HiGHS module. */
export type HighsSolver = Highs;

let solverPromise: Promise<HighsSolver> | undefined;

/** Loads HiGHS (WebAssembly) once per process. */
export function loadHighs(): Promise<HighsSolver> {
  // The package's CommonJS build exposes the loader as `default` under Node's ESM interop.
  solverPromise ??= import('highs').then((m) =>
    (m as unknown as { default: () => Promise<HighsSolver> }).default(),
  );
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

/** A capacity row of a block model: Σ coefficient × x[j,s] ≤ rhs over the jobs that may use `slot`. */
export interface CapacityRow {
  row: number;
  slot: number;
  kind: 'hosts' | 'minutes' | 'service';
  /** Service index (kind 'service' only). */
  service: number;
  rhs: number;
}

/** A block written as HiGHS data: per job k, columns xStart[k]… for its candidates, then u[k]. */
export interface BlockModel {
  data: ModelData;
  xStart: Int32Array;
  capacityRows: CapacityRow[];
}

/** Rows in compressed-row form, built one at a time. */
export class RowBuilder {
  readonly starts: number[] = [0];
  readonly indices: number[] = [];
  readonly values: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  add(cols: number[], coefs: number[], lower: number, upper: number): number {
    this.indices.push(...cols);
    this.values.push(...coefs);
    this.starts.push(this.indices.length);
    this.lower.push(lower);
    this.upper.push(upper);
    return this.lower.length - 1;
  }
  /** Continues the rows of an existing model (compressed-row form). */
  static from(data: ModelData): RowBuilder {
    const rows = new RowBuilder();
    rows.starts.length = 0;
    for (const x of data.matrix.starts) rows.starts.push(x);
    for (const x of data.matrix.indices) rows.indices.push(x);
    for (const x of data.matrix.values) rows.values.push(x);
    for (const x of data.rowLower) rows.lower.push(x);
    for (const x of data.rowUpper) rows.upper.push(x);
    return rows;
  }
  toMatrix(): ModelData['matrix'] & { numCols: number } {
    return {
      format: 'csr',
      numRows: this.lower.length,
      numCols: 0,
      starts: this.starts,
      indices: this.indices,
      values: this.values,
    };
  }
}

/**
 * Writes the block: x[k,s] for each candidate, u[k] "not in the horizon", Σ_s x + u = 1 per job,
 * then hosts / job-minutes / service rows (only where they can bind, net of fixed jobs' use), then
 * dependency rows when asked (end(A) ≤ start(B) at slot level; B unscheduled if A is).
 */
export function makeBlockModel(
  model: PlanModel,
  block: Block,
  options: { relax: boolean; dependencies?: boolean },
): BlockModel {
  const { problem } = model;
  const nSlots = problem.slots.length;
  const xStart = new Int32Array(block.jobs.length + 1);
  const colCost: number[] = [];
  const rows = new RowBuilder();
  const bySlot = new Map<number, number[]>();
  const bySlotService = new Map<number, number[]>();
  block.jobs.forEach((j, k) => {
    xStart[k] = colCost.length;
    const cands = block.candidates[k] ?? [];
    for (const s of cands) {
      colCost.push(getAssignmentCost(model, j, s));
      push(bySlot, s, colCost.length - 1);
      for (const v of model.jobServices[j] ?? []) push(bySlotService, v * nSlots + s, colCost.length - 1);
    }
    colCost.push(model.unscheduledCost[j] ?? 0);
    const cols = Array.from({ length: cands.length + 1 }, (_, i) => (xStart[k] ?? 0) + i);
    rows.add(
      cols,
      cols.map(() => 1),
      1,
      1,
    );
  });
  xStart[block.jobs.length] = colCost.length;
  const duration = new Float64Array(colCost.length);
  block.jobs.forEach((j, k) => {
    const d = problem.jobs[j]?.durationMinutes ?? 0;
    for (let c = xStart[k] ?? 0; c < (xStart[k + 1] ?? 0) - 1; c++) duration[c] = d;
  });
  const capacityRows: CapacityRow[] = [];
  for (const [s, cols] of bySlot) {
    const hosts = (problem.slots[s]?.capacity ?? 0) - (model.used.hosts[s] ?? 0);
    if (cols.length > hosts) {
      const row = rows.add(
        cols,
        cols.map(() => 1),
        -Infinity,
        Math.max(0, hosts),
      );
      capacityRows.push({ row, slot: s, kind: 'hosts', service: -1, rhs: Math.max(0, hosts) });
    }
    const minutes = Math.max(0, (model.minuteBudget[s] ?? 0) - (model.used.minutes[s] ?? 0));
    const total = cols.reduce((sum, c) => sum + (duration[c] ?? 0), 0);
    if (total > minutes + 1e-9) {
      const row = rows.add(
        cols,
        cols.map((c) => duration[c] ?? 0),
        -Infinity,
        minutes,
      );
      capacityRows.push({ row, slot: s, kind: 'minutes', service: -1, rhs: minutes });
    }
  }
  for (const [key, cols] of bySlotService) {
    const v = Math.floor(key / nSlots);
    const limit = Math.max(0, (model.serviceLimit[v] ?? 1) - (model.used.services.get(key) ?? 0));
    if (cols.length <= limit) continue;
    const row = rows.add(
      cols,
      cols.map(() => 1),
      -Infinity,
      limit,
    );
    capacityRows.push({ row, slot: key % nSlots, kind: 'service', service: v, rhs: limit });
  }
  if (options.dependencies ?? true) addDependencyRows(model, block, xStart, rows);
  const n = colCost.length;
  const data: ModelData = {
    numCols: n,
    numRows: rows.lower.length,
    colCost,
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(1),
    rowLower: rows.lower,
    rowUpper: rows.upper,
    matrix: { ...rows.toMatrix(), numCols: n },
    ...(options.relax ? {} : { integrality: new Int32Array(n).fill(1) }),
  };
  return { data, xStart, capacityRows };
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addDependencyRows(model: PlanModel, block: Block, xStart: Int32Array, rows: RowBuilder): void {
  const index = new Map(model.problem.jobs.map((job, j) => [job.id, j]));
  const pos = new Map(block.jobs.map((j, k) => [j, k]));
  const bigM = model.horizonH + 1e4;
  for (const [a, b] of model.problem.dependencies) {
    const ka = pos.get(index.get(a) ?? -1);
    const kb = pos.get(index.get(b) ?? -1);
    if (ka === undefined || kb === undefined) continue;
    const cols: number[] = [];
    const coefs: number[] = [];
    (block.candidates[ka] ?? []).forEach((s, i) => {
      cols.push((xStart[ka] ?? 0) + i);
      coefs.push(model.endH[s] ?? 0);
    });
    (block.candidates[kb] ?? []).forEach((s, i) => {
      cols.push((xStart[kb] ?? 0) + i);
      coefs.push(-(model.startH[s] ?? 0));
    });
    const ua = (xStart[ka + 1] ?? 0) - 1;
    const ub = (xStart[kb + 1] ?? 0) - 1;
    rows.add([...cols, ub], [...coefs, -bigM], -Infinity, 0);
    rows.add([ub, ua], [1, -1], 0, Infinity);
  }
}

type HighsModel = ReturnType<HighsSolver['createModel']>;

/**
 * Creates, configures and runs a model; the caller disposes `solver`. Every model here is feasible
 * (all jobs unscheduled), yet on some of them the WebAssembly build's presolve throws ("run failed
 * with HiGHS status -1") or reports infeasible: those run again, fresh, without presolve.
 */
export function runModel(
  highs: HighsSolver,
  data: ModelData,
  options: Record<string, string | number | boolean>,
  warm?: Float64Array,
): { solver: HighsModel; code: number | undefined } {
  let solver = highs.createModel(data);
  const attempt = (presolve: string): number | undefined => {
    solver.options.set({ output_flag: false, ...options, presolve });
    if (warm) solver.setSolution({ colValue: warm });
    try {
      return solver.run().modelStatus;
    } catch {
      return undefined;
    }
  };
  const code = attempt(String(options.presolve ?? 'choose'));
  if (code !== undefined && code !== 8) return { solver, code };
  solver.dispose();
  solver = highs.createModel(data);
  return { solver, code: attempt('off') };
}

/** Solves a block with HiGHS within `timeLimit` seconds; MILP unless `relax`. */
export function solveBlock(
  highs: HighsSolver,
  model: PlanModel,
  block: Block,
  options: { relax: boolean; timeLimit: number },
): BlockResult {
  const placement = new Int32Array(block.jobs.length).fill(-1);
  const built = makeBlockModel(model, block, options);
  let warm: Float64Array | undefined;
  if (block.warm && !options.relax) {
    const colValue = new Float64Array(built.data.numCols);
    block.warm.forEach((s, k) => {
      const i = s >= 0 ? (block.candidates[k] ?? []).indexOf(s) : -1;
      const u = (built.xStart[k + 1] ?? 0) - 1;
      colValue[i >= 0 ? (built.xStart[k] ?? 0) + i : u] = 1;
    });
    warm = colValue;
  }
  const limits = { time_limit: Math.max(0.05, options.timeLimit), mip_rel_gap: 1e-6 };
  const { solver, code } = runModel(highs, built.data, limits, warm);
  try {
    if (code === undefined) return { placement, objective: Number.NaN, bound: 0, status: 'failed' };
    const status = code === 7 ? 'optimal' : code === 13 ? 'time-limit' : 'failed';
    const values = solver.getSolution().colValue;
    if (values.length === 0 || !hasPrimal(solver.info.get('primal_solution_status')))
      return { placement, objective: Number.NaN, bound: 0, status: 'failed' };
    block.jobs.forEach((_, k) => {
      (block.candidates[k] ?? []).forEach((s, i) => {
        if ((values[(built.xStart[k] ?? 0) + i] ?? 0) > 0.5) placement[k] = s;
      });
    });
    const objective = solver.getObjectiveValue();
    const dual = options.relax ? objective : Number(solver.info.get('mip_dual_bound'));
    return { placement, objective, bound: Number.isFinite(dual) ? dual : 0, status };
  } finally {
    solver.dispose();
  }
}

const hasPrimal = (status: number | bigint): boolean => Number(status) === 2;
