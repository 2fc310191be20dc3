import { type Block, loadHighs, makeBlockModel, runModel } from './milp.js';
import { getAssignmentCost, type PlanModel } from './model.js';

/**
 * Bound on one ring's cost: per group of jobs linked by capacity rows that can bind, the Lagrangian
 * of those rows at HiGHS's LP duals (valid for any multipliers ≥ 0, equal to the LP optimum at the
 * optimal duals); jobs under no binding row cost at least their cheapest option.
 */
export async function getRingBound(
  model: PlanModel,
  jobs: number[],
  candidates: number[][],
  deadline: number,
): Promise<{ value: number; exact: boolean }> {
  let value = 0;
  let exact = true;
  for (const component of getBindingComponents(model, jobs, candidates)) {
    const block: Block = {
      jobs: component.map((k) => jobs[k] ?? 0),
      candidates: component.map((k) => candidates[k] ?? []),
    };
    const trivial = getLagrangianBound(model, block, new Map());
    const remaining = (deadline - performance.now()) / 1000;
    if (component.length === 1) {
      value += trivial;
      continue;
    }
    if (remaining < 0.05) {
      exact = false;
      value += trivial;
      continue;
    }
    const priced = await getPricedBound(model, block, remaining);
    exact &&= priced.optimal;
    value += Math.max(trivial, priced.value);
  }
  return { value, exact };
}

/** Row prices keyed `kind:slot[:service]`. */
type Prices = Map<string, number>;

async function getPricedBound(
  model: PlanModel,
  block: Block,
  seconds: number,
): Promise<{ value: number; optimal: boolean }> {
  const highs = await loadHighs();
  const built = makeBlockModel(model, block, { relax: true, dependencies: false });
  const { solver, code } = runModel(highs, built.data, { time_limit: Math.max(0.05, seconds) });
  try {
    if (code === undefined) return { value: Number.NEGATIVE_INFINITY, optimal: false };
    const duals = solver.getSolution().rowDual;
    const prices: Prices = new Map();
    for (const row of built.capacityRows) {
      // HiGHS (minimize): a binding ≤ row has a dual ≤ 0; its price in the Lagrangian is −dual.
      const price = Math.max(0, -(duals[row.row] ?? 0));
      if (price > 0 && Number.isFinite(price))
        prices.set(getPriceKey(row.kind, row.slot, row.service), price);
    }
    return { value: getLagrangianBound(model, block, prices), optimal: code === 7 };
  } finally {
    solver.dispose();
  }
}

const getPriceKey = (kind: string, slot: number, service = -1): string => `${kind}:${slot}:${service}`;

/**
 * Lagrangian bound: Σ_jobs min(unscheduled, min_s cost + prices of the rows x[j,s] uses) − Σ price ×
 * right-hand side. For any placement within capacity each priced row's slack is ≥ 0, so this never
 * exceeds its cost. Right-hand sides are those of `makeBlockModel` (net of started jobs).
 */
export function getLagrangianBound(model: PlanModel, block: Block, prices: Prices): number {
  const { problem } = model;
  const nSlots = problem.slots.length;
  let value = 0;
  const rhs = (kind: string, s: number, v: number): number => {
    if (kind === 'hosts') return Math.max(0, (problem.slots[s]?.capacity ?? 0) - (model.used.hosts[s] ?? 0));
    if (kind === 'minutes') return Math.max(0, (model.minuteBudget[s] ?? 0) - (model.used.minutes[s] ?? 0));
    return Math.max(0, (model.serviceLimit[v] ?? 1) - (model.used.services.get(v * nSlots + s) ?? 0));
  };
  for (const [key, price] of prices) {
    const [kind = '', s = '0', v = '-1'] = key.split(':');
    value -= price * rhs(kind, Number(s), Number(v));
  }
  block.jobs.forEach((j, k) => {
    const d = problem.jobs[j]?.durationMinutes ?? 0;
    let best = model.unscheduledCost[j] ?? 0;
    for (const s of block.candidates[k] ?? []) {
      let cost = getAssignmentCost(model, j, s);
      cost += prices.get(getPriceKey('hosts', s)) ?? 0;
      cost += d * (prices.get(getPriceKey('minutes', s)) ?? 0);
      for (const v of model.jobServices[j] ?? []) cost += prices.get(getPriceKey('service', s, v)) ?? 0;
      best = Math.min(best, cost);
    }
    value += best;
  });
  return value;
}

/** Jobs linked by a hosts, minutes or service row that can bind (more demand than room). */
function getBindingComponents(model: PlanModel, jobs: number[], candidates: number[][]): number[][] {
  const { problem } = model;
  const nSlots = problem.slots.length;
  const parent = Int32Array.from(jobs, (_, k) => k);
  const find = (k: number): number => {
    let root = k;
    while (parent[root] !== root) root = parent[root] ?? root;
    while (parent[k] !== root) {
      const next = parent[k] ?? root;
      parent[k] = root;
      k = next;
    }
    return root;
  };
  const bySlot = new Map<number, number[]>();
  const bySlotService = new Map<number, number[]>();
  candidates.forEach((list, k) => {
    for (const s of list) {
      append(bySlot, s, k);
      for (const v of model.jobServices[jobs[k] ?? 0] ?? []) append(bySlotService, v * nSlots + s, k);
    }
  });
  const join = (ks: number[]) => {
    for (const k of ks) parent[find(k)] = find(ks[0] ?? k);
  };
  for (const [s, ks] of bySlot) {
    const hosts = (problem.slots[s]?.capacity ?? 0) - (model.used.hosts[s] ?? 0);
    const minutes = (model.minuteBudget[s] ?? 0) - (model.used.minutes[s] ?? 0);
    const total = ks.reduce((sum, k) => sum + (problem.jobs[jobs[k] ?? 0]?.durationMinutes ?? 0), 0);
    if (ks.length > hosts || total > minutes + 1e-9) join(ks);
  }
  for (const [key, ks] of bySlotService) {
    const limit = (model.serviceLimit[Math.floor(key / nSlots)] ?? 1) - (model.used.services.get(key) ?? 0);
    if (ks.length > limit) join(ks);
  }
  const groups = new Map<number, number[]>();
  jobs.forEach((_, k) => {
    append(groups, find(k), k);
  });
  return [...groups.values()];
}

function append<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
