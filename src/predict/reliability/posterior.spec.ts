import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaCdf, betaQuantile } from './beta.js';
import {
  getFailureProbability,
  getRolloutAdvice,
  isRiskyPatch,
  makeReliabilityPosterior,
  type ReliabilityPosterior,
  type RolloutOutcome,
  updatePosterior,
} from './posterior.js';

/** Seeded uniform generator (mulberry32) so the synthetic streams are the same on every run. */
function makeUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds n Bernoulli(p) rollouts (failure or success) into a posterior. */
function observe(
  state: ReliabilityPosterior,
  p: number,
  n: number,
  uniform: () => number,
): ReliabilityPosterior {
  let failures = 0;
  for (let i = 0; i < n; i++) if (uniform() < p) failures++;
  return updatePosterior(updatePosterior(state, 'failure', failures), 'success', n - failures);
}

/** A Beta(a, b) draw by inverting the CDF (slow but exact enough for tests). */
function drawBeta(a: number, b: number, uniform: () => number): number {
  return betaQuantile(uniform(), a, b);
}

describe('Beta distribution', () => {
  it('matches closed forms', () => {
    for (const q of [0.05, 0.3, 0.5, 0.95]) {
      expect(betaQuantile(q, 1, 1)).toBeCloseTo(q, 9);
      expect(betaQuantile(q, 2, 1)).toBeCloseTo(Math.sqrt(q), 9);
      expect(betaQuantile(q, 1, 2)).toBeCloseTo(1 - Math.sqrt(1 - q), 9);
    }
    // Beta(2, 3): CDF = 6x² − 8x³ + 3x⁴.
    const x = 0.37;
    expect(betaCdf(x, 2, 3)).toBeCloseTo(6 * x ** 2 - 8 * x ** 3 + 3 * x ** 4, 12);
    expect(betaCdf(0.5, 0.3, 0.3)).toBeCloseTo(0.5, 12);
  });
});

describe('fleet posterior', () => {
  it('starts at the prior: mean p₀, worth n₀ rollouts', () => {
    const state = makeReliabilityPosterior(0.04, 25);
    expect(state.alpha).toBeCloseTo(1);
    expect(state.beta).toBeCloseTo(24);
    expect(getFailureProbability(state).mean).toBeCloseTo(0.04, 12);
  });

  it('converges to the true failure rate', () => {
    const uniform = makeUniform(1);
    const state = observe(makeReliabilityPosterior(0.02, 20), 0.12, 5000, uniform);
    const estimate = getFailureProbability(state, 0.95);
    expect(Math.abs(estimate.mean - 0.12)).toBeLessThan(0.012);
    expect(estimate.lower).toBeLessThan(0.12);
    expect(estimate.upper).toBeGreaterThan(0.12);
    expect(estimate.upper - estimate.lower).toBeLessThan(0.02);
  });

  it('is dominated by the prior with few outcomes', () => {
    let state = makeReliabilityPosterior(0.2, 50);
    for (let i = 0; i < 3; i++) state = updatePosterior(state, 'success');
    // Three clean rollouts barely move a prior worth 50 (the raw rate would say 0 %).
    expect(getFailureProbability(state).mean).toBeCloseTo((0.2 * 50) / 53, 12);
    expect(getFailureProbability(state).mean).toBeGreaterThan(0.18);
    // One failure out of three moves it little too.
    const withFailure = updatePosterior(state, 'failure');
    expect(getFailureProbability(withFailure).mean).toBeLessThan(0.22);
  });

  it('never lowers the failure probability on bad news, nor raises it on a success', () => {
    const outcome = fc.constantFrom<RolloutOutcome>('success', 'failure', 'rollback', 'health-regression');
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        fc.array(outcome, { maxLength: 40 }),
        outcome,
        (p, n, history, next) => {
          const state = history.reduce((s, o) => updatePosterior(s, o), makeReliabilityPosterior(p, n));
          const before = getFailureProbability(state);
          const after = getFailureProbability(updatePosterior(state, next));
          if (next === 'success') {
            expect(after.mean).toBeLessThanOrEqual(before.mean);
          } else {
            expect(after.mean).toBeGreaterThan(before.mean);
            expect(after.upper).toBeGreaterThanOrEqual(before.upper - 1e-9);
            expect(after.lower).toBeGreaterThanOrEqual(before.lower - 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('has credible intervals that cover the true rate at their nominal level (rate drawn from the prior)', () => {
    const uniform = makeUniform(7);
    const [p0, n0, trials] = [0.05, 20, 2000];
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const p = drawBeta(p0 * n0, (1 - p0) * n0, uniform);
      const n = 10 + Math.floor(uniform() * 90);
      const estimate = getFailureProbability(observe(makeReliabilityPosterior(p0, n0), p, n, uniform), 0.9);
      if (estimate.lower <= p && p <= estimate.upper) covered++;
    }
    // Bayesian coverage is exact here; ±0.025 is more than three standard errors of 2000 trials.
    expect(Math.abs(covered / trials - 0.9)).toBeLessThan(0.025);
  });

  it('covers a fixed rate near the nominal level once outcomes outweigh a weak prior', () => {
    const uniform = makeUniform(11);
    let covered = 0;
    const trials = 1000;
    for (let t = 0; t < trials; t++) {
      const estimate = getFailureProbability(
        observe(makeReliabilityPosterior(0.05, 2), 0.1, 400, uniform),
        0.9,
      );
      if (estimate.lower <= 0.1 && 0.1 <= estimate.upper) covered++;
    }
    expect(Math.abs(covered / trials - 0.9)).toBeLessThan(0.04);
  });

  it('weights a health regression as half a failure and a rollback as a failure', () => {
    const start = makeReliabilityPosterior(0.1, 10);
    expect(updatePosterior(start, 'health-regression').alpha).toBeCloseTo(1.5);
    expect(updatePosterior(start, 'rollback').alpha).toBeCloseTo(2);
    expect(updatePosterior(start, 'rollback').counts.rollback).toBe(1);
  });

  it('flags risky patches for canary rings and halts a credibly bad one', () => {
    const quiet = makeReliabilityPosterior(0.02, 20);
    expect(isRiskyPatch(quiet)).toBe(false);
    expect(getRolloutAdvice(quiet)).toMatchObject({ risky: false, canaryFirst: false, soakMultiplier: 1 });
    // A doubtful prior alone is enough to start with canaries.
    expect(isRiskyPatch(makeReliabilityPosterior(0.08, 20))).toBe(true);
    // Five failures in twelve canary hosts: credibly above 5 %, stop widening.
    const bad = updatePosterior(updatePosterior(quiet, 'failure', 5), 'success', 7);
    const advice = getRolloutAdvice(bad);
    expect(advice).toMatchObject({ risky: true, canaryFirst: true, halt: true });
    expect(advice.soakMultiplier).toBeGreaterThanOrEqual(2);
  });

  it('rejects impossible priors and counts with the field named', () => {
    expect(() => makeReliabilityPosterior(0, 10)).toThrow(/priorProbability/);
    expect(() => makeReliabilityPosterior(0.1, 0)).toThrow(/pseudoCount/);
    expect(() => updatePosterior(makeReliabilityPosterior(0.1, 1), 'failure', -1)).toThrow(/count/);
  });
});
