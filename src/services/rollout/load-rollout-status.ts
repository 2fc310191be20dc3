/**
 * A rollout as `patchcast rollout status` and the API show it: its state, each wave with its gate's
 * numbers (failures against the budget, running against the concurrency, soak), and each job with its
 * step, attempts, last error and the reliability model's failure prediction for its patches.
 */
import { PatchcastError } from '../../core/errors.js';
import type { Job, JobEvent, JobStatus, WaveStatus } from '../../core/types.js';
import { resolveCount } from '../../rollout/decide.js';
import type { ReleaseNotes } from '../../rollout/release-notes.js';
import {
  listJobEvents,
  listJobs,
  listRollouts,
  listWaves,
  loadJob,
  loadPlan,
  loadRollout,
} from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadLatestPlan } from '../plan/stored-plans.js';
import { loadRolloutState } from './controller.js';
import { loadPatchGates } from './patch-learning.js';
import { getPreflightFacts, type PredictionUpdate } from './release-notes-prediction.js';

export interface RolloutWaveStatus {
  id: string;
  ring: string;
  status: WaveStatus;
  approval: 'auto' | 'required';
  approvedBy?: string;
  jobs: number;
  counts: Partial<Record<JobStatus, number>>;
  failures: number;
  errorBudget: number;
  running: number;
  concurrency: number;
  soakUntil?: string;
  haltReason?: string;
}

export interface RolloutJobStatus {
  id: string;
  assetId: string;
  ring?: string;
  status: JobStatus;
  step?: string;
  attempts: number;
  lastError?: string;
  packages: string[];
  notBefore?: string;
  notAfter?: string;
  /** The planner's P(the job fails), and whether the reliability model or the default rate gave it. */
  failureProbability?: number;
  failureSource?: string;
  /** The latest preflight's release notes per package (src/rollout/release-notes.ts). */
  releaseNotes?: ReleaseNotes;
  /** How those notes moved the job's failure prediction, and why (release-notes-prediction.ts). */
  prediction?: PredictionUpdate;
}

export interface RolloutStatusView {
  planId: string;
  status: string;
  startedBy: string;
  startedAt: string;
  reason?: string;
  waves: RolloutWaveStatus[];
  jobs: RolloutJobStatus[];
  /** What the rollout has learned about its patches: each one's failure posterior after the outcomes so far. */
  patches: Array<{
    key: string;
    mean: number;
    lower: number;
    upper: number;
    outcomes: number;
    risky: boolean;
    halt: boolean;
  }>;
}

/** The rollout of a plan (default: the newest rollout, else the latest plan's). Needs `read`. */
export async function loadRolloutStatus(
  deps: ServiceDeps,
  input: { planId?: string } = {},
): Promise<RolloutStatusView> {
  authorize(deps.actor, 'read');
  const db = deps.store.db;
  const planId = input.planId ?? (await listRollouts(db))[0]?.planId ?? (await loadLatestPlan(db))?.id;
  const rollout = planId ? await loadRollout(db, planId) : undefined;
  if (!planId || !rollout)
    throw new PatchcastError('STORE_NOT_FOUND', planId ? `plan ${planId} has no rollout` : 'no rollout yet', {
      hint: 'Start one with `patchcast rollout start`.',
      details: { planId: planId ?? null },
    });
  const state = await loadRolloutState(deps, db, planId, rollout.status);
  const waves = await listWaves(db, planId);
  const byId = new Map(waves.map((w) => [w.id, w]));
  const plan = await loadPlan(db, planId);
  const assignments = new Map(
    (
      (plan?.plan.data?.assignments as Array<{
        jobId: string;
        failureProbability?: number;
        failureSource?: string;
      }>) ?? []
    ).map((a) => [a.jobId, a]),
  );
  const jobs = await listJobs(db, { planId });
  const learned = new Map<string, RolloutStatusView['patches'][number]>();
  for (const gates of (await loadPatchGates(db, planId)).values())
    for (const g of gates)
      learned.set(g.key, {
        key: g.key,
        mean: g.estimate.mean,
        lower: g.estimate.lower,
        upper: g.estimate.upper,
        outcomes: g.outcomes,
        risky: g.risky,
        halt: g.halt,
      });
  return {
    planId,
    status: rollout.status,
    startedBy: rollout.startedBy,
    startedAt: rollout.startedAt,
    ...(rollout.reason ? { reason: rollout.reason } : {}),
    waves: state.waves.map((w) => {
      const total = Object.entries(w.counts).reduce((n, [s, c]) => (s === 'cancelled' ? n : n + (c ?? 0)), 0);
      const stored = byId.get(w.id);
      return {
        id: w.id,
        ring: w.ring,
        status: w.status,
        approval: w.policy.approval,
        ...(w.approvedBy ? { approvedBy: w.approvedBy } : {}),
        jobs: total,
        counts: w.counts,
        failures: (w.counts.failed ?? 0) + (w.counts['rolled-back'] ?? 0),
        errorBudget: resolveCount(w.policy.errorBudget, total, 'down'),
        running: (w.counts.ready ?? 0) + (w.counts.leased ?? 0),
        concurrency: Math.max(1, resolveCount(w.policy.concurrency, total, 'up')),
        ...(w.soakUntil ? { soakUntil: w.soakUntil } : {}),
        ...(stored?.haltReason ? { haltReason: stored.haltReason } : {}),
      };
    }),
    jobs: await Promise.all(
      jobs.map(async (j) => ({
        ...toJobStatus(j, assignments.get(String(j.payload?.jobId ?? ''))),
        ...(await loadPreflightFacts(db, j)),
      })),
    ),
    patches: [...learned.values()].sort((a, b) => b.mean - a.mean),
  };
}

function toJobStatus(
  job: Job,
  assignment: { failureProbability?: number; failureSource?: string } | undefined,
): RolloutJobStatus {
  return {
    id: job.id,
    assetId: job.assetId,
    ...(typeof job.payload?.ring === 'string' ? { ring: job.payload.ring } : {}),
    status: job.status,
    ...(job.step ? { step: job.step } : {}),
    attempts: job.attempts,
    ...(job.lastError ? { lastError: job.lastError } : {}),
    packages: Array.isArray(job.payload?.packages) ? job.payload.packages.map(String) : [],
    ...(job.notBefore ? { notBefore: job.notBefore } : {}),
    ...(job.notAfter ? { notAfter: job.notAfter } : {}),
    ...(assignment?.failureProbability !== undefined
      ? { failureProbability: assignment.failureProbability }
      : {}),
    ...(assignment?.failureSource ? { failureSource: assignment.failureSource } : {}),
  };
}

/** The release notes and prediction of a job's latest preflight; nothing for a job that has not run. */
async function loadPreflightFacts(
  db: ServiceDeps['store']['db'],
  job: Job,
): Promise<Pick<RolloutJobStatus, 'releaseNotes' | 'prediction'>> {
  if (!job.step) return {};
  const events = await listJobEvents(db, job.id);
  const last = events.filter((e) => e.kind === 'step:preflight').at(-1);
  return last ? getPreflightFacts(last.data) : {};
}

/** One job with its step records (what ran, when, how it ended, an output excerpt). Needs `read`. */
export async function loadJobDetail(
  deps: ServiceDeps,
  input: { jobId: string },
): Promise<{ job: Job; events: JobEvent[] }> {
  authorize(deps.actor, 'read');
  const job = await loadJob(deps.store.db, input.jobId);
  if (!job)
    throw new PatchcastError('STORE_NOT_FOUND', `no job ${input.jobId}`, { details: { jobId: input.jobId } });
  return { job, events: await listJobEvents(deps.store.db, job.id) };
}
