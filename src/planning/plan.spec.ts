import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSyntheticFleet } from './__fixtures__/fleet.js';
import { getViolations } from './check.js';
import { makeGreedyPlacement } from './heuristic.js';
import { makeJobs } from './jobs.js';
import { getObjective, makePlanModel } from './model.js';
import { solvePlacement } from './optimize.js';
import { makePlan } from './plan.js';
import { makePlanProblem } from './problem.js';
import { replan } from './replan.js';
import { assignRings } from './rings.js';

const small = fc.record({
  hosts: fc.integer({ min: 4, max: 30 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  groups: fc.integer({ min: 1, max: 3 }),
});

describe('jobs and rings', () => {
  it('bundles an asset’s findings into one job: Σ risk, earliest due date, reboot for a kernel', () => {
    const jobs = makeJobs(
      [
        { id: 'f1', assetId: 'a', packageName: 'linux-image-amd64', risk: 0.5, dueDate: '2026-12-20' },
        { id: 'f2', assetId: 'a', packageName: 'curl', risk: 0.25, dueDate: '2026-12-10' },
      ],
      [{ id: 'a', tags: [], services: [] }],
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ riskRate: 0.75, reboot: true, dueDate: new Date('2026-12-10') });
  });
  it('assigns rings by tag, environment and a deterministic percent', () => {
    const assets = Array.from({ length: 200 }, (_, i) => ({
      id: `h${i}`,
      tags: i === 0 ? ['canary'] : [],
      environment: 'prod',
      services: [],
    }));
    const rings = [
      { id: 'canary', select: { tags: ['canary'] } },
      { id: 'early', select: { environments: ['prod'], percent: 10 } },
      { id: 'broad' },
    ];
    const a = assignRings(assets, rings);
    expect(a.get('h0')).toBe(0);
    const early = [...a.values()].filter((r) => r === 1).length;
    expect(early).toBeGreaterThan(5);
    expect(early).toBeLessThan(40);
    expect(assignRings(assets, rings)).toEqual(a);
  });
});

describe('plan (property tests)', () => {
  it('greedy and MILP plans keep every rule; MILP ≤ greedy and ≥ bound', async () => {
    await fc.assert(
      fc.asyncProperty(small, async ({ hosts, seed, groups }) => {
        const input = makeSyntheticFleet({ hosts, seed, groups });
        const { problem } = makePlanProblem(input, { serviceDownFraction: 0.34 });
        const model = makePlanModel(problem);
        const greedy = makeGreedyPlacement(model, 'density').placement;
        expect(getViolations(model, greedy)).toEqual([]);
        expect(getViolations(model, makeGreedyPlacement(model, 'sla').placement)).toEqual([]);
        const solved = await solvePlacement(model, { timeLimitSeconds: 5 });
        expect(getViolations(model, solved.placement)).toEqual([]);
        expect(solved.objective).toBeLessThanOrEqual(getObjective(model, greedy) + 1e-6);
        expect(solved.bound).toBeLessThanOrEqual(solved.objective + 1e-6);
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('re-planning never moves a started job', async () => {
    await fc.assert(
      fc.asyncProperty(small, fc.integer({ min: 1, max: 20 }), async ({ hosts, seed, groups }, days) => {
        const input = makeSyntheticFleet({ hosts, seed, groups });
        const first = await makePlan(input, { timeLimitSeconds: 2 });
        const later = new Date(input.now.getTime() + days * 86_400_000);
        const { plan, diff } = await replan(first, { ...input, now: later }, { timeLimitSeconds: 2 });
        for (const a of first.assignments.filter((x) => Date.parse(x.start) <= later.getTime())) {
          expect(plan.assignments.find((b) => b.jobId === a.jobId)).toMatchObject({
            slotId: a.slotId,
            start: a.start,
          });
        }
        expect(diff.moved.every((m) => Date.parse(m.from) > later.getTime())).toBe(true);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});

describe('makePlan', () => {
  it('explains each job and reports objective, bound and gap', async () => {
    const plan = await makePlan(makeSyntheticFleet({ hosts: 40, seed: 7 }), { timeLimitSeconds: 5 });
    expect(plan.assignments.length + plan.unscheduled.length).toBe(40);
    expect(plan.assignments[0]?.reasons[0]).toMatch(/^window w-g\d \(\w{3} 2026-12-\d\d \d\d:\d\d UTC\)/);
    expect(plan.gap).toBeGreaterThanOrEqual(0);
    expect(plan.bound).toBeLessThanOrEqual(plan.objective);
  });
  it('uses the default window and says so when none is configured', async () => {
    const input = { ...makeSyntheticFleet({ hosts: 5, seed: 3 }), windows: [], rings: [] };
    const plan = await makePlan(input, { timeLimitSeconds: 2 });
    expect(plan.notes[0]).toMatch(/default, weekly Tuesday 02:00 UTC/);
    expect(plan.assignments.every((a) => new Date(a.start).getUTCDay() === 2)).toBe(true);
  });
});
