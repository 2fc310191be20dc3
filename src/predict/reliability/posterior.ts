/**
 * The fleet posterior of a patch's failure rate (one per package + target version). The prior is
 * Beta(p₀·n₀, (1 − p₀)·n₀): the reliability model's probability p₀ as its mean, worth n₀ rollouts
 * (the pseudo-count). Each rollout outcome adds weighted evidence — failures to α, successes to β —
 * and the posterior stays a Beta, so its mean and credible interval are exact. Pure: every update
 * returns a new state.
 */
import { PatchcastError } from '../../core/errors.js';
import { betaQuantile } from './beta.js';

/** What happened when a host applied the patch. */
export type RolloutOutcome = 'success' | 'failure' | 'rollback' | 'health-regression';

/** Evidence one outcome adds: to the failure count (α) and to the success count (β). */
export interface OutcomeWeight {
  failure: number;
  success: number;
}

/**
 * Default weights. A failed install and a rollback are both a host the patch did not work on (a
 * rollback is only ever triggered by trouble). A health regression seen during soak but not bad
 * enough to roll back counts half a failure: the signal is real but its cause is less certain.
 * Nothing ever adds to β except a success, so bad news can only raise the failure probability.
 */
export const OUTCOME_WEIGHTS: Readonly<Record<RolloutOutcome, OutcomeWeight>> = {
  success: { failure: 0, success: 1 },
  failure: { failure: 1, success: 0 },
  rollback: { failure: 1, success: 0 },
  'health-regression': { failure: 0.5, success: 0 },
};

/** Posterior state of one patch. */
export interface ReliabilityPosterior {
  priorProbability: number;
  pseudoCount: number;
  /** Beta parameters: prior plus weighted failures (α) and successes (β). */
  alpha: number;
  beta: number;
  /** Outcomes seen, by kind. */
  counts: Record<RolloutOutcome, number>;
}

/** Identifies a patch: the package and the version being rolled out. */
export function getPatchKey(packageName: string, targetVersion: string): string {
  return `${packageName}@${targetVersion}`;
}

/** A fresh posterior: prior mean `priorProbability`, worth `pseudoCount` observed rollouts. */
export function makeReliabilityPosterior(
  priorProbability: number,
  pseudoCount: number,
): ReliabilityPosterior {
  if (!(priorProbability > 0 && priorProbability < 1)) {
    throw new PatchcastError('INPUT_INVALID', `priorProbability must be in (0, 1), got ${priorProbability}`);
  }
  if (!(pseudoCount > 0 && Number.isFinite(pseudoCount))) {
    throw new PatchcastError('INPUT_INVALID', `pseudoCount must be positive and finite, got ${pseudoCount}`);
  }
  return {
    priorProbability,
    pseudoCount,
    alpha: priorProbability * pseudoCount,
    beta: (1 - priorProbability) * pseudoCount,
    counts: { success: 0, failure: 0, rollback: 0, 'health-regression': 0 },
  };
}

/** Adds one outcome (or `count` identical outcomes). */
export function updatePosterior(
  state: ReliabilityPosterior,
  outcome: RolloutOutcome,
  count = 1,
  weights: Readonly<Record<RolloutOutcome, OutcomeWeight>> = OUTCOME_WEIGHTS,
): ReliabilityPosterior {
  const weight = weights[outcome];
  if (!weight) throw new PatchcastError('INPUT_INVALID', `unknown rollout outcome "${outcome}"`);
  if (!(Number.isInteger(count) && count >= 0)) {
    throw new PatchcastError('INPUT_INVALID', `outcome count must be a non-negative integer, got ${count}`);
  }
  return {
    ...state,
    alpha: state.alpha + count * weight.failure,
    beta: state.beta + count * weight.success,
    counts: { ...state.counts, [outcome]: state.counts[outcome] + count },
  };
}

/** The failure probability: posterior mean and an equal-tailed credible interval. */
export interface FailureEstimate {
  mean: number;
  lower: number;
  upper: number;
  /** Credible level of [lower, upper], e.g. 0.9. */
  level: number;
  /** Prior pseudo-count plus weighted outcomes: how much evidence the estimate rests on. */
  effectiveCount: number;
}

/** Posterior mean and `level` credible interval of the failure rate. */
export function getFailureProbability(state: ReliabilityPosterior, level = 0.9): FailureEstimate {
  if (!(level > 0 && level < 1))
    throw new PatchcastError('INPUT_INVALID', `level must be in (0, 1), got ${level}`);
  const { alpha, beta } = state;
  const tail = (1 - level) / 2;
  return {
    mean: alpha / (alpha + beta),
    lower: betaQuantile(tail, alpha, beta),
    upper: betaQuantile(1 - tail, alpha, beta),
    level,
    effectiveCount: alpha + beta,
  };
}

/** Thresholds for planning and the rollout gates. */
export interface RiskPolicy {
  /** A patch whose mean failure probability is above this is risky. */
  maxFailureProbability: number;
  /** …or whose upper credible bound is above this (too uncertain to go wide at once). */
  maxUpperBound: number;
  /** Credible level of the interval. */
  level: number;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = {
  maxFailureProbability: 0.05,
  maxUpperBound: 0.15,
  level: 0.9,
};

/** True when the patch should go to canary rings first with a longer soak. */
export function isRiskyPatch(state: ReliabilityPosterior, policy: RiskPolicy = DEFAULT_RISK_POLICY): boolean {
  const estimate = getFailureProbability(state, policy.level);
  return estimate.mean > policy.maxFailureProbability || estimate.upper > policy.maxUpperBound;
}

/** What planning and the rollout gates do with a patch. */
export interface RolloutAdvice {
  risky: boolean;
  /** Start with the canary ring(s). */
  canaryFirst: boolean;
  /** Multiply the ring's soak time by this. */
  soakMultiplier: number;
  /** Stop widening: the failure rate is credibly above the tolerated one (its lower bound is). */
  halt: boolean;
  estimate: FailureEstimate;
}

/** Turns the posterior into planning and gate decisions. */
export function getRolloutAdvice(
  state: ReliabilityPosterior,
  policy: RiskPolicy = DEFAULT_RISK_POLICY,
): RolloutAdvice {
  const estimate = getFailureProbability(state, policy.level);
  const risky = estimate.mean > policy.maxFailureProbability || estimate.upper > policy.maxUpperBound;
  const halt = estimate.lower > policy.maxFailureProbability;
  // Soak grows with how far the mean is above tolerance: ×2 when risky, up to ×4.
  const soakMultiplier = risky
    ? Math.min(4, Math.max(2, (2 * estimate.mean) / policy.maxFailureProbability))
    : 1;
  return { risky, canaryFirst: risky, soakMultiplier, halt, estimate };
}
