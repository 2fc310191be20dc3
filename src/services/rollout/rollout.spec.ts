import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storePlan } from '../../../test/support/rollout-plan.js';
import { makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { listAuditEvents } from '../../store/index.js';
import type { Role } from '../authz.js';
import { type Actor, type ServiceDeps, silentLogger } from '../deps.js';
import {
  abortRollout,
  approveRollout,
  pauseRollout,
  resumeRollout,
  retryJob,
  startRollout,
} from './control-rollout.js';
import { runControllerTick } from './controller.js';
import { exportRollout } from './export-rollout.js';
import { endJob, heartbeat, leaseWork, reportStep } from './job-reports.js';
import { loadJobDetail, loadRolloutStatus } from './load-rollout-status.js';

const CONFIG = readConfig(
  [
    'rings:',
    '  - { id: canary, select: { assets: [c1] }, concurrency: 1, soak: 30m }',
    '  - { id: prod, concurrency: 2, errorBudget: 1, approval: required }',
    'rollout:',
    '  hosts: [{ select: { assets: [c1, p1, p2, p3] }, executor: ssh, ssh: { host: 127.0.0.1, privateKey: k, knownHosts: kh } }]',
  ].join('\n'),
  '/etc/patchcast/patchcast.yaml',
  {},
);
const T0 = '2026-03-01T01:00:00.000Z';
const WINDOW = { start: '2026-03-01T02:00:00.000Z', lastStart: '2026-03-01T05:00:00.000Z' };

let store: Store;
let cleanup: () => Promise<void>;
let now = new Date(WINDOW.start);
const clock = { now: () => now };
const deps = (role: Role, actor: Partial<Actor> = {}): ServiceDeps => ({
  store,
  config: CONFIG,
  clock,
  actor: { kind: 'token', id: `token:${role}`, role, ...actor },
  logger: silentLogger,
});
const controller = () => deps('admin', { kind: 'system', id: 'system:controller' });
const step = (name: 'preflight' | 'apply' | 'verify', outcome: 'ok' | 'failed' = 'ok') => ({
  step: name,
  outcome,
  startedAt: now.toISOString(),
  endedAt: now.toISOString(),
  excerpt: `${name} output`,
});

beforeEach(async () => {
  const temp = await makeTempStore();
  store = temp.store;
  cleanup = temp.cleanup;
  now = new Date(WINDOW.start);
  await storePlan(
    store,
    'plan-1',
    [
      { assetId: 'c1', ring: 'canary', packages: ['openssl@3.0.15-1~deb12u1'], ...WINDOW },
      ...['p1', 'p2', 'p3'].map((assetId) => ({
        assetId,
        ring: 'prod',
        packages: ['openssl@3.0.15-1~deb12u1'],
        start: '2026-03-01T03:00:00.000Z',
        lastStart: WINDOW.lastStart,
      })),
    ],
    T0,
  );
});
afterEach(() => cleanup());

/** Leases everything released to ssh, and ends each with the given outcome. */
async function runReleased(outcome: (assetId: string) => 'succeeded' | 'failed' | 'rolled-back') {
  const work = await leaseWork(controller(), { owner: 'worker-1', limit: 10, executors: ['ssh'] });
  for (const w of work) {
    await reportStep(controller(), { jobId: w.job.id, token: w.token, report: step('preflight') });
    await endJob(controller(), { jobId: w.job.id, token: w.token, outcome: outcome(w.job.assetId) });
  }
  return work;
}

describe('rollout services', () => {
  it('runs a plan ring by ring: approval, concurrency, soak, promotion, the error budget, retry and resume', async () => {
    await expect(startRollout(deps('operator'))).rejects.toMatchObject({ code: 'ROLLOUT_STATE' });
    await expect(startRollout(deps('operator'), { approve: true })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    const started = await startRollout(deps('approver'), { planId: 'plan-1', approve: false }).catch(
      (e) => e,
    );
    expect(started).toMatchObject({ code: 'ROLLOUT_STATE' });
    // An operator starts an approved plan; production waits for an approver.
    const { planId } = await startRollout(deps('approver'), { approve: true }).then(async (r) => {
      expect(r).toMatchObject({ planApproved: true, approvedRings: ['prod'], awaitingApproval: [] });
      return r;
    });
    expect(planId).toBe('plan-1');

    // Canary: one job, released and run; nothing else is released while it runs.
    let tick = await runControllerTick(controller());
    expect(tick.actions.map((a) => a.kind)).toEqual(['start-wave']);
    tick = await runControllerTick(controller());
    expect(tick.actions).toMatchObject([{ kind: 'release', ring: 'canary', limit: 1, applied: true }]);
    const canary = await runReleased(() => 'succeeded');
    expect(canary.map((w) => [w.job.assetId, w.token, w.spec.targets])).toEqual([
      ['c1', 1, [{ name: 'openssl', version: '3.0.15-1~deb12u1' }]],
    ]);
    tick = await runControllerTick(controller());
    expect(tick.actions).toMatchObject([{ kind: 'soak', ring: 'canary', until: '2026-03-01T02:30:00.000Z' }]);
    expect((await runControllerTick(controller())).actions).toEqual([]);

    // After the soak, canary is promoted and prod (approved at start) begins at 03:00.
    now = new Date('2026-03-01T03:00:00.000Z');
    tick = await runControllerTick(controller());
    expect(tick.actions.map((a) => [a.kind, a.applied])).toEqual([['promote', true]]);
    expect((await runControllerTick(controller())).actions.map((a) => a.kind)).toEqual(['start-wave']);
    tick = await runControllerTick(controller());
    expect(tick.actions).toMatchObject([{ kind: 'release', ring: 'prod', limit: 2 }]);
    // Two fail: over the budget of 1, so the wave halts and the third job is never released.
    await runReleased(() => 'rolled-back');
    tick = await runControllerTick(controller());
    expect(tick.actions).toMatchObject([{ kind: 'halt', failures: 2, budget: 1, jobs: 3 }]);
    let status = await loadRolloutStatus(deps('viewer'));
    expect(status).toMatchObject({
      status: 'halted',
      reason: '2 of 3 jobs failed or rolled back, over the error budget of 1',
    });
    expect(
      status.waves.map((w) => [w.ring, w.status, w.failures, w.errorBudget, w.counts.pending ?? 0]),
    ).toEqual([
      ['canary', 'promoted', 0, 0, 0],
      ['prod', 'halted', 2, 1, 1],
    ]);
    expect((await runControllerTick(controller())).actions).toEqual([]);

    // An operator may not resume a halted rollout; an approver retries one job and resumes.
    await expect(resumeRollout(deps('operator'))).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    const failed = status.jobs.filter((j) => j.status === 'rolled-back');
    await retryJob(deps('operator'), { jobId: failed[0]?.id ?? '' });
    await resumeRollout(deps('approver'));
    tick = await runControllerTick(controller());
    expect(tick.actions).toMatchObject([{ kind: 'release', limit: 2 }]);
    await runReleased(() => 'succeeded');
    await runControllerTick(controller()); // soak (0 minutes)
    await runControllerTick(controller()); // promote
    tick = await runControllerTick(controller());
    expect(tick.actions).toMatchObject([{ kind: 'finish', succeeded: 3, failed: 1 }]);
    status = await loadRolloutStatus(deps('viewer'));
    expect(status.status).toBe('done');

    const actions = (await listAuditEvents(store.db, { limit: 100 })).map((e) => `${e.actor} ${e.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'token:approver rollout:start',
        'system:controller wave:promote',
        'system:controller wave:halt',
        'token:operator job:retry',
        'token:approver rollout:resume',
        'system:controller job:rolled-back',
        'system:controller rollout:done',
      ]),
    );
  });

  it('waits for an approver when the production ring was not approved at start', async () => {
    await store.db.updateTable('plans').set({ status: 'approved' }).execute();
    expect(await startRollout(deps('operator'))).toMatchObject({
      awaitingApproval: ['prod'],
      approvedRings: [],
    });
    await runControllerTick(controller());
    await runControllerTick(controller());
    await runReleased(() => 'succeeded');
    await runControllerTick(controller()); // soak 30m
    now = new Date('2026-03-01T03:00:00.000Z');
    await runControllerTick(controller()); // promote
    expect((await runControllerTick(controller())).actions).toMatchObject([
      { kind: 'await-approval', ring: 'prod' },
    ]);
    expect((await runControllerTick(controller())).actions).toEqual([]);
    await expect(approveRollout(deps('operator'))).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(await approveRollout(deps('approver'), { ring: 'prod' })).toMatchObject({
      approvedRings: ['prod'],
    });
    expect((await runControllerTick(controller())).actions).toMatchObject([
      { kind: 'start-wave', ring: 'prod' },
    ]);
  });

  it('hands the next holder the outcome of the last reported step (a failed verify: only the rollback is left)', async () => {
    await startRollout(deps('approver'), { approve: true });
    await runControllerTick(controller());
    await runControllerTick(controller());
    const [first] = await leaseWork(controller(), { owner: 'worker-a', limit: 1, executors: ['ssh'] });
    if (!first) throw new Error('nothing leased');
    const lease = { jobId: first.job.id, token: first.token };
    await reportStep(controller(), {
      ...lease,
      report: step('apply'),
      previous: [{ name: 'openssl', version: '3.0.11-1~deb12u2' }],
    });
    await reportStep(controller(), { ...lease, report: step('verify', 'failed') });
    now = new Date(now.getTime() + 11 * 60_000);
    const [second] = await leaseWork(controller(), { owner: 'worker-b', limit: 1, executors: ['ssh'] });
    expect(second?.resume).toMatchObject({
      previous: [{ name: 'openssl', version: '3.0.11-1~deb12u2' }],
      lastStep: 'verify',
      lastOutcome: 'failed',
    });
  });

  it('never ends a job on a transient failure once apply may have started, however many attempts it took', async () => {
    await startRollout(deps('approver'), { approve: true });
    await runControllerTick(controller());
    await runControllerTick(controller());
    const lease = async () => {
      const [work] = await leaseWork(controller(), { owner: 'w', limit: 1, executors: ['ssh'] });
      if (!work) throw new Error('nothing leased');
      return { jobId: work.job.id, token: work.token, attempts: work.job.attempts };
    };
    let held = await lease();
    await reportStep(controller(), {
      ...held,
      report: step('apply'),
      previous: [{ name: 'openssl', version: '3.0.11-1~deb12u2' }],
    });
    for (const _ of [1, 2]) {
      now = new Date(now.getTime() + 11 * 60_000);
      held = await lease();
    }
    expect(held.attempts).toBe(CONFIG.rollout.maxAttempts);
    // The store broke off the run's report (a terminated connection): the executor ends the job as transient.
    const ended = await endJob(controller(), { ...held, outcome: 'failed', lastError: 'x', transient: true });
    expect(ended).toEqual({ status: 'ready' });
  });

  it('refuses a report under a stale token, and lets an agent see only its own host’s jobs', async () => {
    await startRollout(deps('approver'), { approve: true });
    await runControllerTick(controller());
    await runControllerTick(controller());
    const [first] = await leaseWork(controller(), { owner: 'worker-a', limit: 1, executors: ['ssh'] });
    if (!first) throw new Error('nothing leased');
    await reportStep(controller(), {
      jobId: first.job.id,
      token: first.token,
      report: step('apply'),
      previous: [{ name: 'openssl', version: '3.0.11-1~deb12u2' }],
    });
    // The lease runs out (10m); another worker takes the job over with a new token and the recorded versions.
    now = new Date(now.getTime() + 11 * 60_000);
    const [second] = await leaseWork(controller(), { owner: 'worker-b', limit: 1, executors: ['ssh'] });
    expect(second).toMatchObject({
      token: 2,
      resume: { lastStep: 'apply', previous: [{ name: 'openssl', version: '3.0.11-1~deb12u2' }] },
    });
    // A step report sent twice (its answer was lost) is stored once.
    const again = { jobId: second?.job.id ?? '', token: second?.token ?? 0, report: step('verify') };
    await reportStep(controller(), again);
    await reportStep(controller(), again);
    expect(
      (await loadJobDetail(deps('viewer'), { jobId: again.jobId })).events.filter(
        (e) => e.kind === 'step:verify',
      ),
    ).toHaveLength(1);
    const old = { jobId: first.job.id, token: first.token };
    await expect(reportStep(controller(), { ...old, report: step('verify') })).rejects.toMatchObject({
      code: 'ROLLOUT_LEASE_STALE',
    });
    await expect(endJob(controller(), { ...old, outcome: 'succeeded' })).rejects.toMatchObject({
      code: 'ROLLOUT_LEASE_STALE',
    });
    await expect(heartbeat(controller(), old)).rejects.toMatchObject({ code: 'ROLLOUT_LEASE_STALE' });
    expect((await loadRolloutStatus(deps('viewer'))).jobs.find((j) => j.assetId === 'c1')).toMatchObject({
      status: 'leased',
      attempts: 2,
    });

    // An agent of another host cannot see, report on or end c1's job.
    const agent = deps('viewer', { kind: 'agent', id: 'agent:p1', assetId: 'p1' });
    expect(await leaseWork(agent, { owner: 'agent:p1', limit: 5, executors: ['ssh'] })).toEqual([]);
    await expect(
      endJob(agent, { jobId: first.job.id, token: 2, outcome: 'succeeded' }),
    ).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
  });

  it('learns from each outcome: a rolled-back patch makes its ring soak longer and stops the next ring for an approver', async () => {
    const learning = readConfig(
      [
        'rings:',
        '  - { id: canary, select: { assets: [c1] }, concurrency: 1, errorBudget: 1, soak: 30m }',
        '  - { id: prod, concurrency: 3 }',
        'rollout:',
        '  hosts: [{ executor: ssh, ssh: { host: 127.0.0.1, privateKey: k, knownHosts: kh } }]',
      ].join('\n'),
      '/etc/patchcast/patchcast.yaml',
      {},
    );
    const withConfig = (d: ServiceDeps): ServiceDeps => ({ ...d, config: learning });
    // The planner predicted a 30% failure rate for this patch; the canary rolls it back.
    await store.db
      .updateTable('jobs')
      .set({
        payload: JSON.stringify({
          jobId: 'job:c1#0',
          ring: 'canary',
          packages: ['openssl@3.0.15-1~deb12u1'],
          failureProbability: 0.3,
        }),
      })
      .where('asset_id', '=', 'c1')
      .execute();
    await startRollout(withConfig(deps('approver')), { approve: true });
    await runControllerTick(withConfig(controller()));
    await runControllerTick(withConfig(controller()));
    const [work] = await leaseWork(withConfig(controller()), { owner: 'w', limit: 1, executors: ['ssh'] });
    if (!work) throw new Error('nothing leased');
    await reportStep(withConfig(controller()), {
      jobId: work.job.id,
      token: work.token,
      report: step('apply'),
    });
    await endJob(withConfig(controller()), {
      jobId: work.job.id,
      token: work.token,
      outcome: 'rolled-back',
      lastError: 'probe failed',
    });
    const [audit] = (await listAuditEvents(store.db, { limit: 100 })).filter(
      (e) => e.action === 'job:rolled-back',
    );
    expect(audit?.data?.failurePosterior).toMatchObject({
      'openssl@3.0.15-1~deb12u1': {
        before: expect.closeTo(0.3, 6),
        after: expect.closeTo(7 / 21, 6),
        counts: { rollback: 1 },
      },
    });
    // Within the canary's budget of 1, but the patch is now risky: the soak grows (mean 1/3 → ×4).
    let tick = await runControllerTick(withConfig(controller()));
    expect(tick.actions).toMatchObject([{ kind: 'soak', until: '2026-03-01T04:00:00.000Z' }]);
    now = new Date('2026-03-01T04:00:00.000Z');
    await runControllerTick(withConfig(controller())); // promote
    // Its failure rate is credibly above 5%: prod (approval auto) waits for an approver, saying why.
    tick = await runControllerTick(withConfig(controller()));
    expect(tick.actions).toMatchObject([
      {
        kind: 'await-approval',
        ring: 'prod',
        reason:
          'too risky to widen: openssl@3.0.15-1~deb12u1 fails 33.3% of the time after 1 outcome(s), credibly above 5.0% (90% interval 17.7%–50.8%)',
      },
    ]);
    expect(await approveRollout(withConfig(deps('approver')), { ring: 'prod' })).toMatchObject({
      approvedRings: ['prod'],
    });
    expect((await runControllerTick(withConfig(controller()))).actions).toMatchObject([
      { kind: 'start-wave', ring: 'prod' },
    ]);
  });

  it('exports the jobs waiting to run as an Ansible playbook and as shell scripts, with exact versions', async () => {
    const playbook = await exportRollout(deps('viewer'), { format: 'ansible', ring: 'prod' });
    expect(playbook.jobs).toBe(3);
    expect(playbook.text).toMatch(/openssl=3\.0\.15-1~deb12u1/);
    expect(playbook.text).toMatch(/serial: 2/);
    expect(playbook.text).not.toMatch(/c1/);
    const shell = await exportRollout(deps('viewer'), { format: 'shell', jobId: 'plan-1/job:c1#0' });
    expect(shell.jobs).toBe(1);
    expect(shell.text).toMatch(/^# --- plan-1\/job:c1#0 on c1/);
    expect(shell.text).toMatch(/'openssl=3\.0\.15-1~deb12u1'/);
    await expect(exportRollout(deps('viewer'), { format: 'shell', ring: 'nope' })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
  });

  it('returns jobs whose window closed to the planner, and pauses and aborts on request', async () => {
    await startRollout(deps('approver'), { approve: true });
    await pauseRollout(deps('operator'), { reason: 'change freeze called' });
    expect((await runControllerTick(controller())).actions).toEqual([]);
    now = new Date('2026-03-01T05:30:00.000Z');
    await resumeRollout(deps('operator'));
    const tick = await runControllerTick(controller());
    expect(tick.missed).toHaveLength(4);
    const status = await loadRolloutStatus(deps('viewer'));
    expect(status.jobs.every((j) => j.status === 'missed' && /window closed/.test(j.lastError ?? ''))).toBe(
      true,
    );
    expect(await abortRollout(deps('operator'), { reason: 'replanned' })).toMatchObject({
      status: 'aborted',
      cancelled: 0,
    });
    await expect(abortRollout(deps('operator'))).rejects.toMatchObject({ code: 'ROLLOUT_STATE' });
  });
});
