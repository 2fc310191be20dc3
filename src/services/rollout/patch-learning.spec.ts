import { describe, expect, it } from 'vitest';
import {
  getFailureProbability,
  getRolloutAdvice,
  makeReliabilityPosterior,
  updatePosterior,
} from '../../predict/reliability/posterior.js';
import { getHaltReason, getPatchEvidence, type PatchGate, PRIOR_PSEUDO_COUNT } from './patch-learning.js';

function gate(prior: number, outcomes: Array<'success' | 'rollback'> = []): PatchGate {
  let state = makeReliabilityPosterior(prior, PRIOR_PSEUDO_COUNT);
  for (const o of outcomes) state = updatePosterior(state, o);
  const advice = getRolloutAdvice(state);
  return {
    key: 'pcdemo@1.0-4',
    estimate: getFailureProbability(state),
    outcomes: outcomes.length,
    risky: advice.risky,
    halt: advice.halt,
    soakMultiplier: advice.soakMultiplier,
  };
}

describe('patch learning gates', () => {
  it('lets an untried patch predicted risky go to the first ring only', () => {
    expect(getHaltReason(gate(0.12), true)).toBeUndefined();
    expect(getHaltReason(gate(0.12), false)).toBe(
      'pcdemo@1.0-4 is predicted to fail 12.0% of the time and no earlier ring has tried it',
    );
    expect(getHaltReason(gate(0.02), false)).toBeUndefined();
  });

  it('stops widening once outcomes make the failure rate credibly too high, and not before', () => {
    expect(getHaltReason(gate(0.02, ['success', 'success']), false)).toBeUndefined();
    // Three rollbacks of 3: mean 14.8%, but the 90% interval still reaches below 5%.
    expect(getHaltReason(gate(0.02, ['rollback', 'rollback', 'rollback']), false)).toBeUndefined();
    expect(getHaltReason(gate(0.02, ['rollback', 'rollback', 'rollback', 'rollback']), false)).toMatch(
      /^pcdemo@1\.0-4 fails 18\.3% of the time after 4 outcome\(s\), credibly above 5\.0%/,
    );
  });

  it('counts only outcomes that say something about the patch', () => {
    expect(getPatchEvidence('succeeded', 'post-hooks')).toBe('success');
    expect(getPatchEvidence('rolled-back', 'rollback')).toBe('rollback');
    expect(getPatchEvidence('failed', 'rehearsal')).toBe('failure');
    expect(getPatchEvidence('failed', 'preflight')).toBeUndefined();
    expect(getPatchEvidence('failed', undefined)).toBeUndefined();
  });
});
