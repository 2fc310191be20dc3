import type { ModelData } from 'highs';
import { getPredecessors } from './heuristic.js';
import { type Block, type HighsSolver, makeBlockModel, RowBuilder, runModel } from './milp.js';
import type { PlanModel } from './model.js';

/**
 * The whole plan as one MILP, ring order included — exact, so used when the problem is small.
 * On top of the block model (x, u, assignment, hosts, job-minutes, services, dependencies):
 * - w[r,s] = ring r occupies occurrence s (x[j,s] ≤ v[r,s] ≤ w[r,s]; started jobs fix w to 1),
 *   v[r,s] = a new job of ring r is placed in s;
 * - order and soak: w[r,s] + v[r',s'] ≤ 1 for r < r' when s ends + soak(r) after s' opens;
 * - blocking: c[r] = ring r complete; u[j] + c[r] ≤ 1 for its plannable jobs, v[r',s] ≤ c[r], r < r'.
 * Without started jobs, "after every earlier non-empty ring" equals the check's "after the last
 * non-empty ring" (ring finishes + soak are then non-decreasing); with them it is stricter, so
 * plans stay valid.
 */
interface ExactModel {
  data: ModelData;
  block: Block;
  xStart: Int32Array;
  /** Column of w[r,s], v[r,s] by `${r}:${s}`, and c[r]. */
  w: Map<string, number>;
  v: Map<string, number>;
  /** Columns f[r][k]: ring r occupies an occurrence ending at or after the k-th distinct end time. */
  f: Map<number, number[]>;
  c: number[];
}

function makeExactModel(model: PlanModel, fixed: ReadonlyMap<number, number>): ExactModel {
  const { jobs, rings } = model.problem;
  const preds = getPredecessors(model);
  const block: Block = { jobs: [], candidates: [] };
  jobs.forEach((_, j) => {
    if (fixed.has(j)) return;
    let after = Number.NEGATIVE_INFINITY;
    for (const p of preds[j] ?? []) {
      const s = fixed.get(p);
      if (s !== undefined) after = Math.max(after, model.endH[s] ?? 0);
    }
    block.jobs.push(j);
    block.candidates.push([...(model.eligible[j] ?? [])].filter((s) => (model.startH[s] ?? 0) >= after));
  });
  const built = makeBlockModel(model, block, { relax: false, dependencies: true });
  const cost = Array.from(built.data.colCost);
  const lower = Array.from(built.data.colLower);
  const rows = RowBuilder.from(built.data);
  const addColumn = (low = 0) => {
    cost.push(0);
    lower.push(low);
    return cost.length - 1;
  };
  const w = new Map<string, number>();
  const v = new Map<string, number>();
  for (const [j, s] of fixed) w.set(`${jobs[j]?.ring ?? 0}:${s}`, addColumn(1));
  block.jobs.forEach((j, k) => {
    const r = jobs[j]?.ring ?? 0;
    (block.candidates[k] ?? []).forEach((s, i) => {
      const key = `${r}:${s}`;
      if (!v.has(key)) v.set(key, addColumn());
      if (!w.has(key)) w.set(key, addColumn());
      rows.add([(built.xStart[k] ?? 0) + i, v.get(key) ?? 0], [1, -1], -Infinity, 0);
    });
  });
  for (const [key, col] of v) rows.add([col, w.get(key) ?? 0], [1, -1], -Infinity, 0);
  const c = rings.map(() => addColumn());
  const f = new Map<number, number[]>();
  addOrderRows(model, { w, v, f }, rows, addColumn);
  block.jobs.forEach((j, k) => {
    if ((model.eligible[j]?.length ?? 0) === 0) return;
    rows.add([(built.xStart[k + 1] ?? 0) - 1, c[jobs[j]?.ring ?? 0] ?? 0], [1, 1], -Infinity, 1);
  });
  for (const [key, col] of v) {
    const r = Number(key.split(':')[0]);
    for (let earlier = 0; earlier < r; earlier++) rows.add([col, c[earlier] ?? 0], [1, -1], -Infinity, 0);
  }
  const n = cost.length;
  const upper = new Float64Array(n).fill(1);
  for (const [key, col] of v) if (isBeforeCarried(model, key)) upper[col] = 0;
  const data: ModelData = {
    ...built.data,
    numCols: n,
    numRows: rows.lower.length,
    colCost: cost,
    colLower: lower,
    colUpper: upper,
    rowLower: rows.lower,
    rowUpper: rows.upper,
    matrix: { ...rows.toMatrix(), numCols: n },
    integrality: new Int32Array(n).fill(1),
  };
  return { data, block, xStart: built.xStart, w, v, f, c };
}

/**
 * Order and soak, time-indexed: f[r][k] = ring r occupies an occurrence ending at or after the k-th
 * distinct end time (w[r,s] ≤ f[r][k(s)], f non-increasing in k); a new job of a later ring r' in s'
 * needs f[r][k*] = 0 for the first k* whose end + soak(r) is after s' opens. This is the pairwise rule
 * "w[r,s] + v[r',s'] ≤ 1 when s ends + soak after s' opens" with far fewer rows.
 */
function addOrderRows(
  model: PlanModel,
  exact: Pick<ExactModel, 'w' | 'v' | 'f'>,
  rows: RowBuilder,
  addColumn: () => number,
): void {
  const soak = model.problem.rings.map((ring) => ring.soakMinutes / 60);
  const times = [...new Set(model.endH)].sort((a, b) => a - b);
  const index = new Map(times.map((time, k) => [time, k]));
  const parse = (key: string) => key.split(':').map(Number) as [number, number];
  for (const key of exact.w.keys()) {
    const [r] = parse(key);
    if (exact.f.has(r)) continue;
    const cols = times.map(() => addColumn());
    exact.f.set(r, cols);
    for (let k = 1; k < cols.length; k++) rows.add([cols[k] ?? 0, cols[k - 1] ?? 0], [1, -1], -Infinity, 0);
  }
  for (const [key, col] of exact.w) {
    const [r, s] = parse(key);
    const f = exact.f.get(r)?.[index.get(model.endH[s] ?? 0) ?? 0] ?? 0;
    rows.add([col, f], [1, -1], -Infinity, 0);
  }
  for (const [key, col] of exact.v) {
    const [late, s] = parse(key);
    for (const [r, cols] of exact.f) {
      if (r >= late) continue;
      const k = times.findIndex((time) => time + (soak[r] ?? 0) > (model.startH[s] ?? 0) + 1e-9);
      if (k >= 0) rows.add([col, cols[k] ?? 0], [1, 1], -Infinity, 1);
    }
  }
}

/** Whether ring r's use of slot s (`r:s`) would start before a carried-over earlier ring's end + soak. */
function isBeforeCarried(model: PlanModel, key: string): boolean {
  const [r = 0, s = 0] = key.split(':').map(Number);
  for (let early = 0; early < r; early++) {
    const soak = (model.problem.rings[early]?.soakMinutes ?? 0) / 60;
    if ((model.ringFloor[early] ?? Number.NEGATIVE_INFINITY) + soak > (model.startH[s] ?? 0) + 1e-9)
      return true;
  }
  return false;
}

/** Number of x columns the exact model would have (to decide whether it is small enough). */
export function getExactSize(model: PlanModel): number {
  let n = 0;
  for (const list of model.eligible) n += list.length;
  return n;
}

/**
 * Solves the exact model within `timeLimit` seconds, starting from `warm` (a valid placement).
 * Returns the placement found (or undefined) and whether HiGHS proved it optimal.
 */
export function solveExact(
  highs: HighsSolver,
  model: PlanModel,
  fixed: ReadonlyMap<number, number>,
  options: { timeLimit: number; warm?: Int32Array },
): { placement?: Int32Array; optimal: boolean; bound: number } {
  const exact = makeExactModel(model, fixed);
  const warm = options.warm && getWarmColumns(model, exact, options.warm, fixed);
  // Presolve off: on these models the WebAssembly build's presolve can wrongly report infeasible.
  const limits = {
    time_limit: Math.max(0.05, options.timeLimit),
    mip_rel_gap: 1e-9,
    mip_abs_gap: 1e-9,
    presolve: 'off',
  };
  const { solver, code } = runModel(highs, exact.data, limits, warm);
  try {
    if (code === undefined) return { optimal: false, bound: 0 };
    const values = solver.getSolution().colValue;
    const bound = Number(solver.info.get('mip_dual_bound'));
    const result = { optimal: code === 7, bound: Number.isFinite(bound) ? bound : 0 };
    if (Number(solver.info.get('primal_solution_status')) !== 2 || values.length === 0) return result;
    const placement = new Int32Array(model.problem.jobs.length).fill(-1);
    for (const [j, s] of fixed) placement[j] = s;
    exact.block.jobs.forEach((j, k) => {
      (exact.block.candidates[k] ?? []).forEach((s, i) => {
        if ((values[(exact.xStart[k] ?? 0) + i] ?? 0) > 0.5) placement[j] = s;
      });
    });
    return { ...result, placement };
  } finally {
    solver.dispose();
  }
}

function getWarmColumns(
  model: PlanModel,
  exact: ExactModel,
  warm: Int32Array,
  fixed: ReadonlyMap<number, number>,
): Float64Array {
  const { jobs, rings } = model.problem;
  const values = new Float64Array(exact.data.numCols);
  const incomplete = new Uint8Array(rings.length);
  for (const col of exact.w.values()) values[col] = 0;
  for (const [j, s] of fixed) values[exact.w.get(`${jobs[j]?.ring ?? 0}:${s}`) ?? 0] = 1;
  exact.block.jobs.forEach((j, k) => {
    const s = warm[j] ?? -1;
    const r = jobs[j]?.ring ?? 0;
    const i = s >= 0 ? (exact.block.candidates[k] ?? []).indexOf(s) : -1;
    if (i < 0) {
      values[(exact.xStart[k + 1] ?? 0) - 1] = 1;
      if ((model.eligible[j]?.length ?? 0) > 0) incomplete[r] = 1;
      return;
    }
    values[(exact.xStart[k] ?? 0) + i] = 1;
    values[exact.v.get(`${r}:${s}`) ?? 0] = 1;
    values[exact.w.get(`${r}:${s}`) ?? 0] = 1;
  });
  exact.c.forEach((col, r) => {
    values[col] = incomplete[r] ? 0 : 1;
  });
  const times = [...new Set(model.endH)].sort((a, b) => a - b);
  for (const [r, cols] of exact.f) {
    let last = Number.NEGATIVE_INFINITY;
    for (const [key, col] of exact.w) {
      const [ring = 0, s = 0] = key.split(':').map(Number);
      if (ring === r && values[col] === 1) last = Math.max(last, model.endH[s] ?? 0);
    }
    cols.forEach((col, k) => {
      values[col] = (times[k] ?? 0) <= last ? 1 : 0;
    });
  }
  return values;
}
