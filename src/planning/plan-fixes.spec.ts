import { describe, expect, it } from 'vitest';
import { makeGreedyPlacement } from './heuristic.js';
import { makeJobs } from './jobs.js';
import { getExposure, getObjective, makePlanModel } from './model.js';
import { checkBound } from './optimize.js';
import { finishPlan, makePlan, type Plan } from './plan.js';
import { makePlanProblem, type PlanInput } from './problem.js';
import { renderPlanText } from './render/text.js';
import { getPlanDiff } from './replan.js';
import type { PlanFinding } from './types.js';
import { DEFAULT_WINDOW } from './windows.js';

const NOW = new Date('2026-12-07T00:00:00Z'); // a Monday: the default window opens Tuesday 02:00 UTC

/** `count` packages, each its own source package, on one asset (a fleet image's long tail). */
function manyPackages(assetId: string, count: number, source?: string): PlanFinding[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${assetId}-f${i}`,
    assetId,
    packageName: `lib${i}`,
    ecosystem: 'Debian:8',
    vulnerabilityId: `DEBIAN-CVE-2017-${1000 + i}`,
    installedVersion: '1.0-1',
    targetVersion: '1.0-1+deb8u1',
    risk: 0.01,
    ...(source ? { sourceName: source } : {}),
  }));
}

function makeInput(findings: PlanFinding[], assets: string[]): PlanInput {
  return {
    now: NOW,
    horizonDays: 30,
    assets: assets.map((id) => ({ id, tags: [], services: [] })),
    findings,
    windows: [DEFAULT_WINDOW],
    freezes: [],
    rings: [],
  };
}

describe('jobs install what every finding needs and name their patches', () => {
  it('jammy libssl3: the highest target (…ubuntu1.10, USN-6119-1), not the last finding’s (…ubuntu1.8)', () => {
    const ssl = (id: string, targetVersion: string): PlanFinding => ({
      id,
      assetId: 'bastion-01',
      packageName: 'libssl3',
      ecosystem: 'Ubuntu:22.04:LTS',
      vulnerabilityId: id,
      installedVersion: '3.0.2-0ubuntu1.7',
      targetVersion,
      sourceName: 'openssl',
    });
    const [job] = makeJobs(
      [ssl('USN-6119-1', '3.0.2-0ubuntu1.10'), ssl('USN-5844-1', '3.0.2-0ubuntu1.8')],
      [{ id: 'bastion-01', tags: [], services: [] }],
    );
    expect(job?.packages).toEqual([{ name: 'libssl3', targetVersion: '3.0.2-0ubuntu1.10' }]);
    expect(job?.patches).toEqual([
      {
        id: 'bastion-01/ubuntu/openssl',
        package: 'openssl',
        targetVersion: '3.0.2-0ubuntu1.10',
        binaries: ['libssl3'],
        findingIds: ['USN-5844-1', 'USN-6119-1'],
      },
    ]);
    expect(job?.failureSource).toBe('default');
  });
});

describe('the failure estimate says where it comes from', () => {
  const findings: PlanFinding[] = [
    ...manyPackages('h', 2).map((f, i) => ({ ...f, sourceName: i === 0 ? 'openssl' : 'curl' })),
  ];
  const asset = [{ id: 'h', tags: [], services: [] }];
  it('the reliability model’s score per patch where it has one, else the default rate, labelled', () => {
    const none = makeJobs(findings, asset)[0];
    expect(none).toMatchObject({ failureSource: 'default' });
    expect(none?.failureProbability).toBeCloseTo(1 - 0.98 ** 2, 12);
    const some = makeJobs(findings, asset, { failureProbabilities: { 'h/debian/openssl': 0.3 } })[0];
    expect(some).toMatchObject({ failureSource: 'mixed' });
    expect(some?.failureProbability).toBeCloseTo(1 - 0.7 * 0.98, 12);
    const all = makeJobs(findings, asset, {
      failureProbabilities: { 'h/debian/openssl': 0.3, 'h/debian/curl': 0.1 },
    })[0];
    expect(all).toMatchObject({ failureSource: 'model' });
    expect(all?.failureProbability).toBeCloseTo(1 - 0.7 * 0.9, 12);
  });
  it('the plan’s reasons say "default rate" or "reliability model" in words', async () => {
    const plan = await makePlan(makeInput(findings, ['h']), { method: 'greedy' });
    expect(plan.assignments[0]).toMatchObject({ failureSource: 'default' });
    expect(plan.assignments[0]?.reasons.join('\n')).toContain(
      'default rate 2% per package (no reliability score)',
    );
    const scored = await makePlan(makeInput(findings, ['h']), {
      method: 'greedy',
      failureProbabilities: { 'h/debian/openssl': 0.3, 'h/debian/curl': 0.1 },
    });
    expect(scored.assignments[0]?.reasons.join('\n')).toContain(
      'P(fail) 37.0% from the patch-reliability model',
    );
  });
});

describe('a job too long for every window', () => {
  it('is split by patch and the rest of the plan is still scheduled (python:3.5 on the demo fleet)', async () => {
    // 120 packages × 2 min + 10 min = 250 min > the default window's 210 min before its cutoff.
    const input = makeInput(
      [...manyPackages('python-3.5', 120), ...manyPackages('web-1', 3)],
      ['python-3.5', 'web-1'],
    );
    const plan = await makePlan(input, { method: 'greedy' });
    expect(plan.unscheduled).toEqual([]);
    const jobs = plan.assignments.map((a) => a.jobId).sort();
    expect(jobs).toEqual(['job:python-3.5#1', 'job:python-3.5#2', 'job:web-1']);
    const parts = plan.assignments.filter((a) => a.assetId === 'python-3.5');
    expect(parts.flatMap((a) => a.patches ?? [])).toHaveLength(120);
    expect(plan.notes.join('\n')).toContain('split by patch into 2 jobs');
  });

  it('one patch too long for any window is reported alone with the true reason; the others are scheduled', async () => {
    const input = makeInput(
      [...manyPackages('python-3.5', 120, 'glibc-like'), ...manyPackages('web-1', 3)],
      ['python-3.5', 'web-1'],
    );
    const plan = await makePlan(input, { method: 'greedy' });
    expect(plan.assignments.map((a) => a.jobId)).toEqual(['job:web-1']);
    expect(plan.unscheduled).toHaveLength(1);
    expect(plan.unscheduled[0]?.reason).toMatch(
      /^too long for any window: 250 min \(its one patch python-3\.5\/debian\/glibc-like, 120 packages\) but the longest window of group default takes 210 min/,
    );
    expect(plan.unscheduled[0]?.reason).not.toContain('no window occurrence serves');
  });

  it('an empty plan does not claim a 0 % gap', async () => {
    const plan = await makePlan(makeInput(manyPackages('big', 120, 'one-source'), ['big']), {
      method: 'greedy',
    });
    expect(plan.assignments).toEqual([]);
    const text = renderPlanText(plan);
    expect(text).toContain('gap n/a (no job scheduled)');
    expect(text).not.toContain('gap 0.00%');
  });
});

describe('comparisons and bounds', () => {
  it('the anchor and the risk-per-job-minute baseline keep the started jobs where they are', () => {
    const input = makeInput([...manyPackages('a', 2), ...manyPackages('b', 2)], ['a', 'b']);
    input.windows = [{ ...DEFAULT_WINDOW, maxConcurrentHosts: 1 }];
    input.findings = input.findings.map((f) =>
      f.assetId === 'a' ? { ...f, risk: 5, dueDate: '2027-01-30' } : { ...f, dueDate: '2026-12-09' },
    );
    const { problem } = makePlanProblem(input);
    const model = makePlanModel(problem);
    const a = problem.jobs.findIndex((j) => j.assetId === 'a');
    // 'b' (earliest due) started in the second occurrence and stays there.
    const fixed = new Map([[1 - a, 1]]);
    model.used.hosts[1] = 1;
    model.used.minutes[1] = problem.jobs[1 - a]?.durationMinutes ?? 0;
    const pinned = makeGreedyPlacement(model, 'sla', fixed).placement;
    expect(pinned[1 - a]).toBe(1);
    const solved = {
      placement: pinned,
      objective: getObjective(model, pinned),
      bound: 0,
      gap: 1,
      solveSeconds: 0,
      method: 'greedy' as const,
      greedyObjective: 0,
      notes: [],
    };
    const plan = finishPlan(model, solved, [], new Map(), fixed);
    expect(plan.anchor?.objective).toBeCloseTo(getObjective(model, pinned), 9);
    expect(plan.anchorExposure).toBeCloseTo(getExposure(model, pinned), 9);
    expect(plan.densityBaseline?.exposure).toBeCloseTo(
      getExposure(model, makeGreedyPlacement(model, 'density', fixed).placement),
      9,
    );
    // Without the pins the anchor would put 'b' first: a different, wrong comparison.
    expect(getExposure(model, makeGreedyPlacement(model, 'sla').placement)).not.toBeCloseTo(
      plan.anchorExposure,
      6,
    );
  });

  it('a bound above the objective is flagged with a note, not capped to the objective', () => {
    expect(checkBound(100, 99)).toEqual({ gap: 0.01, boundExceedsObjective: false });
    const bad = checkBound(100, 110);
    expect(bad).toMatchObject({ boundExceedsObjective: true, gap: -0.1 });
    expect(bad.boundExceedsObjective && bad.note).toContain('exceeds the objective');
  });
});

describe('plan diff', () => {
  it('a job whose window was renamed but not moved in time is unchanged', () => {
    const at = '2026-12-08T02:00:00.000Z';
    const plan = (windowId: string): Plan =>
      ({
        assignments: [
          {
            jobId: 'job:a',
            assetId: 'a',
            slotId: `${windowId}@${at}`,
            windowId,
            start: at,
            end: '2026-12-08T02:20:00.000Z',
            ring: 'all',
            packages: [],
            reasons: [],
          },
        ],
        occurrences: [
          {
            id: `${windowId}@${at}`,
            windowId,
            groups: ['*'],
            start: at,
            end: at,
            lastStart: at,
            capacity: 1,
            timezone: 'UTC',
          },
        ],
      }) as unknown as Plan;
    expect(getPlanDiff(plan('tuesday'), plan('weekly-tuesday'))).toMatchObject({ moved: [], unchanged: 1 });
  });
});
