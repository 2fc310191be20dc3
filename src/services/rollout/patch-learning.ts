/**
 * The rollout learns from itself: every job outcome updates the fleet posterior of each patch the
 * job applied (a Beta around the planner's predicted failure probability, worth 20 rollouts; see
 * src/predict/reliability/posterior.ts), and the next wave's gate reads it: a patch whose failure
 * rate is credibly above the tolerated one stops the next ring until an approver lets it go on, and
 * a risky one (mean or upper bound too high) makes the current ring soak longer.
 */
import type { Job } from '../../core/types.js';
import {
  DEFAULT_RISK_POLICY,
  type FailureEstimate,
  getPatchKey,
  getRolloutAdvice,
  makeReliabilityPosterior,
  type ReliabilityPosterior,
  type RolloutOutcome,
  updatePosterior,
} from '../../predict/reliability/posterior.js';
import { getJobTargets } from '../../rollout/job-spec.js';
import { type Db, listJobs, loadPatchPosteriors, savePatchPosterior } from '../../store/index.js';

/** The prior's weight, in rollouts (src/predict/reliability/readme.md: n₀ ≈ 20). */
export const PRIOR_PSEUDO_COUNT = 20;
/** The prior when the planner gave the job no probability: the planner's own default rate. */
const DEFAULT_PRIOR = 0.02;
/** Steps whose failure says something about the patch (a blocked preflight or a dead host does not). */
const PATCH_STEPS = new Set(['rehearsal', 'apply', 'restart', 'verify', 'post-hooks', 'rollback']);

function getKeys(job: Pick<Job, 'id' | 'payload'>): string[] {
  try {
    return getJobTargets(job).map((t) => getPatchKey(t.name, t.version));
  } catch {
    return [];
  }
}

/** The prior of the job's patches: the planner's failure probability, updated by the release notes. */
export function getPrior(job: Pick<Job, 'payload'>): number {
  const p = job.payload?.failureProbability;
  return typeof p === 'number' && p > 0 && p < 1 ? p : DEFAULT_PRIOR;
}

/** The outcome a finished job is evidence of, or undefined when it says nothing about its patches. */
export function getPatchEvidence(
  status: 'succeeded' | 'failed' | 'rolled-back',
  step: string | undefined,
): RolloutOutcome | undefined {
  if (status === 'succeeded') return 'success';
  if (status === 'rolled-back') return 'rollback';
  return step && PATCH_STEPS.has(step) ? 'failure' : undefined;
}

/** Updates the posteriors of the job's patches with its outcome; returns the new estimates by key. */
export async function recordPatchOutcome(
  db: Db,
  job: Pick<Job, 'id' | 'payload'>,
  evidence: RolloutOutcome,
  at: string,
): Promise<Record<string, { before: number; after: number; counts: ReliabilityPosterior['counts'] }>> {
  const keys = getKeys(job);
  const stored = await loadPatchPosteriors(db, keys);
  const out: Record<string, { before: number; after: number; counts: ReliabilityPosterior['counts'] }> = {};
  for (const key of keys) {
    const state = stored.get(key) ?? makeReliabilityPosterior(getPrior(job), PRIOR_PSEUDO_COUNT);
    const next = updatePosterior(state, evidence);
    await savePatchPosterior(db, key, next, at);
    out[key] = {
      before: state.alpha / (state.alpha + state.beta),
      after: next.alpha / (next.alpha + next.beta),
      counts: next.counts,
    };
  }
  return out;
}

export interface PatchGate {
  key: string;
  estimate: FailureEstimate;
  outcomes: number;
  risky: boolean;
  halt: boolean;
  soakMultiplier: number;
}

/** Why a patch stops a wave that is not the first, or undefined when it may widen. */
export function getHaltReason(gate: PatchGate, firstWave: boolean): string | undefined {
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  // Untried, a patch goes to the first ring (that is what a canary is for), never wider.
  if (gate.outcomes === 0)
    return firstWave || !gate.risky
      ? undefined
      : `${gate.key} is predicted to fail ${pct(gate.estimate.mean)} of the time and no earlier ring has tried it`;
  if (gate.halt)
    return `${gate.key} fails ${pct(gate.estimate.mean)} of the time after ${gate.outcomes} outcome(s), credibly above ${pct(DEFAULT_RISK_POLICY.maxFailureProbability)} (90% interval ${pct(gate.estimate.lower)}–${pct(gate.estimate.upper)})`;
  return undefined;
}

/** Per wave of the plan, the gate facts of the patches its jobs apply (a patch without outcomes: its prior). */
export async function loadPatchGates(db: Db, planId: string): Promise<Map<string, PatchGate[]>> {
  const jobs = await listJobs(db, { planId });
  const byWave = new Map<string, Set<string>>();
  for (const job of jobs) {
    const keys = byWave.get(job.waveId ?? '') ?? new Set<string>();
    for (const key of getKeys(job)) keys.add(key);
    byWave.set(job.waveId ?? '', keys);
  }
  const posteriors = await loadPatchPosteriors(db, [...new Set([...byWave.values()].flatMap((k) => [...k]))]);
  // A patch no job has reported on yet: its prior, the planner's highest predicted failure for it.
  const priors = new Map<string, number>();
  for (const job of jobs)
    for (const key of getKeys(job)) priors.set(key, Math.max(priors.get(key) ?? 0, getPrior(job)));
  const out = new Map<string, PatchGate[]>();
  for (const [waveId, keys] of byWave) {
    const gates: PatchGate[] = [];
    for (const key of keys) {
      const state =
        posteriors.get(key) ?? makeReliabilityPosterior(priors.get(key) ?? DEFAULT_PRIOR, PRIOR_PSEUDO_COUNT);
      const advice = getRolloutAdvice(state, DEFAULT_RISK_POLICY);
      const outcomes = Object.values(state.counts).reduce((n, c) => n + c, 0);
      gates.push({
        key,
        estimate: advice.estimate,
        outcomes,
        risky: advice.risky,
        halt: advice.halt,
        soakMultiplier: advice.soakMultiplier,
      });
    }
    out.set(waveId, gates);
  }
  return out;
}
