import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSyntheticFleet } from './__fixtures__/fleet.js';
import { getExactOptimum, makeTinyProblem } from './__fixtures__/tiny.js';
import { getLowerBound } from './bound.js';
import { getViolations } from './check.js';
import { solveExact } from './exact.js';
import { makeGreedyPlacement } from './heuristic.js';
import { loadHighs } from './milp.js';
import { getObjective, makePlanModel, type PlanModel } from './model.js';
import { solvePlacement } from './optimize.js';
import { makePlanProblem } from './problem.js';

const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** Pins jobs as re-planning does: they keep their occurrence and use its capacity. */
function pin(model: PlanModel, placement: Int32Array, pick: (j: number) => boolean): Map<number, number> {
  const fixed = new Map<number, number>();
  placement.forEach((s, j) => {
    if (s < 0 || !pick(j)) return;
    fixed.set(j, s);
    model.used.hosts[s] = (model.used.hosts[s] ?? 0) + 1;
    model.used.minutes[s] = (model.used.minutes[s] ?? 0) + (model.problem.jobs[j]?.durationMinutes ?? 0);
    for (const v of model.jobServices[j] ?? []) {
      const key = v * model.problem.slots.length + s;
      model.used.services.set(key, (model.used.services.get(key) ?? 0) + 1);
    }
  });
  return fixed;
}

describe('lower bound and optimum on tiny problems (exhaustive search)', () => {
  it('bound ≤ true optimum = plan objective (≤ 12 jobs, ≤ 6 occurrences, 1–3 rings)', async () => {
    await fc.assert(
      fc.asyncProperty(seed, async (s) => {
        const model = makePlanModel(makeTinyProblem(s, 12, 6));
        const exact = getExactOptimum(model);
        const solved = await solvePlacement(model, { timeLimitSeconds: 5 });
        const bound = await getLowerBound(model, new Map(), 5);
        expect(getViolations(model, exact.placement)).toEqual([]);
        expect(getViolations(model, solved.placement)).toEqual([]);
        expect(bound.value).toBeLessThanOrEqual(exact.objective + 1e-6);
        expect(solved.bound).toBeLessThanOrEqual(exact.objective + 1e-6);
        expect(close(solved.objective, exact.objective)).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('the exact MILP alone (ring order, soak and blocking in one model) reaches the optimum', async () => {
    const highs = await loadHighs();
    await fc.assert(
      fc.asyncProperty(seed, async (s) => {
        const model = makePlanModel(makeTinyProblem(s, 10, 6));
        const exact = getExactOptimum(model);
        const solved = solveExact(highs, model, new Map(), { timeLimit: 5 });
        expect(solved.optimal).toBe(true);
        const placement = solved.placement ?? new Int32Array();
        expect(getViolations(model, placement)).toEqual([]);
        expect(close(getObjective(model, placement), exact.objective)).toBe(true);
      }),
      { numRuns: 30 },
    );
  }, 60_000);

  it('with started jobs pinned: they never move, and bound ≤ optimum ≤ plan', async () => {
    await fc.assert(
      fc.asyncProperty(seed, seed, async (s, pick) => {
        const model = makePlanModel(makeTinyProblem(s, 10, 5));
        const first = makeGreedyPlacement(model, 'sla').placement;
        // Started = its occurrence opened before a cutoff, as re-planning decides it: a started job's
        // predecessors (which end before it starts) have started too.
        const starts = [...model.startH].sort((a, b) => a - b);
        const cutoff = starts[pick % (starts.length + 1)] ?? Number.POSITIVE_INFINITY;
        const fixed = pin(
          model,
          first,
          (j) => (model.startH[first[j] ?? -1] ?? Number.POSITIVE_INFINITY) < cutoff,
        );
        const solved = await solvePlacement(model, { timeLimitSeconds: 5 }, fixed);
        for (const [j, slot] of fixed) expect(solved.placement[j]).toBe(slot);
        const exact = getExactOptimum(model, fixed, solved);
        const bound = await getLowerBound(model, fixed, 5);
        expect(getViolations(model, solved.placement, new Set(fixed.keys()))).toEqual([]);
        expect(bound.value).toBeLessThanOrEqual(exact.objective + 1e-6);
        expect(solved.objective).toBeGreaterThanOrEqual(exact.objective - 1e-6);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe('lower bound on fleets', () => {
  it('is capacity-aware: ring releases are no earlier than the rings can fill', async () => {
    const { problem } = makePlanProblem(makeSyntheticFleet({ hosts: 300, seed: 5 }));
    const model = makePlanModel(problem);
    const bound = await getLowerBound(model, new Map(), 10);
    const greedy = makeGreedyPlacement(model, 'density');
    expect(bound.value).toBeLessThanOrEqual(getObjective(model, greedy.placement));
    for (let r = 1; r < problem.rings.length; r++) {
      expect(bound.release[r] ?? 0).toBeGreaterThanOrEqual(bound.release[r - 1] ?? 0);
      if (r < greedy.rings.blockedFrom)
        expect(bound.release[r] ?? 0).toBeLessThanOrEqual(greedy.rings.release[r] ?? 0);
    }
    expect(bound.exact).toBe(true);
  });
});
