/**
 * A finding's risk: R = L · I · E in [0, 1], and its exact decomposition into named contributions.
 * See ../readme.md for the formula, the scales and a worked example. The factors' numbers come from
 * factors.ts, which the fleet's fast path shares, so both give the same risk to the bit.
 */
import type { Contribution, FindingContext, RiskScore } from '../types.js';
import {
  describeControls,
  describeCriticality,
  describeData,
  describeDrift,
  describeEnvironment,
  describeInUse,
  describeKev,
  describeMaturity,
  describeProbability,
} from './describe.js';
import {
  getExposureParts,
  getImpact,
  getImpactNorm,
  getLikelihoodEvidence,
  getReach,
  type LikelihoodEvidence,
  type Reach,
} from './factors.js';
import {
  getCriticalityLevel,
  getDataLevel,
  getEnvironmentFactor,
  IMPACT_BASE,
  type RiskWeights,
} from './levels.js';
import { getExploitEstimate, getExploitProbability } from './probability.js';
import { getNoisyOrShares, getProductRates, noisyOr } from './shapley.js';
import { getSsvc } from './ssvc.js';

export { getReach } from './factors.js';
export { getExploitEstimate, getExploitProbability } from './probability.js';

/** The factor name of package usage in contributions. */
const IN_USE_FACTOR = 'in-use';

/** One named term of a factor: its value on the factor's scale and its words. */
interface Term {
  factor: string;
  value: number;
  text: string;
}

/**
 * Scores one finding. Pure and deterministic: the same context, weights and day give the same
 * score. The contributions add up to `risk` (to rounding, |Σ − risk| < 1e-12).
 */
export function scoreFinding(ctx: FindingContext, weights: RiskWeights, asOf: Date): RiskScore {
  const ssvc = getSsvc(ctx.vulnerability, ctx.asset);
  const likelihood = getLikelihoodTerms(ctx, weights, asOf);
  const impact = getImpactTerms(ctx, weights, ssvc.technicalImpact === 'total');
  const exposure = getExposureTerms(ctx, weights, getReach(ctx.vulnerability, ssvc.automatable));
  const l = noisyOr(likelihood.map((t) => t.value));
  const i = impact.value;
  const e = exposure.value;
  const rates = getProductRates(l, i, e, { i: impact.reference, e: exposure.reference });
  const contributions: Contribution[] = [];
  // Likelihood: each piece of evidence's Shapley share of the noisy-OR, times the rate of L.
  const lShares = getNoisyOrShares(likelihood.map((t) => t.value));
  likelihood.forEach((t, k) => {
    contributions.push({ ...t, value: (lShares[k] ?? 0) * rates.l });
  });
  // Impact and exposure terms are deviations from the reference context.
  for (const t of impact.terms) contributions.push({ ...t, value: t.value * rates.i });
  for (const t of exposure.terms) contributions.push({ ...t, value: t.value * rates.e });
  // A known "not in use" moves nothing, yet the explanation names it, as a person checks it first.
  const kept = contributions.filter((c) => c.value !== 0 || c.factor === IN_USE_FACTOR);
  // Largest first; equal values (to rounding) by factor name, so the order never depends on float noise.
  kept.sort((a, b) => {
    const diff = Math.abs(b.value) - Math.abs(a.value);
    return Math.abs(diff) > 1e-12 ? diff : a.factor.localeCompare(b.factor);
  });
  return { risk: l * i * e, contributions: kept, ssvc, exploit: getExploitEstimate(ctx.vulnerability, asOf) };
}

/** Likelihood evidence, each on [0, 1], combined as a noisy-OR, with its words. */
function getLikelihoodTerms(ctx: FindingContext, w: RiskWeights, asOf: Date): Term[] {
  const v = ctx.vulnerability;
  const text = (factor: LikelihoodEvidence['factor']): string => {
    if (factor === 'exploit-probability') return describeProbability(v, getExploitProbability(v).source);
    if (factor === 'kev' && v.kev) return describeKev(v.kev);
    if (factor === 'ransomware') return 'known use in ransomware campaigns (CISA KEV)';
    return describeMaturity(v);
  };
  return getLikelihoodEvidence(v, w, asOf).map((t) => ({ ...t, text: text(t.factor) }));
}

/** Impact I (factors.ts) and its terms: deviations from the reference asset. */
function getImpactTerms(ctx: FindingContext, w: RiskWeights, total: boolean) {
  const norm = getImpactNorm(w);
  const refCriticality = getCriticalityLevel({ ...ctx.asset, criticality: 'medium' });
  const refData = 1 / 3;
  const criticality = getCriticalityLevel(ctx.asset);
  const environment = getEnvironmentFactor(ctx.asset);
  const reference = (IMPACT_BASE + w.criticality * refCriticality + w.dataClassification * refData) / norm;
  const value = getImpact(ctx.asset, w, total);
  const terms: Term[] = [
    {
      factor: 'technical-impact',
      value: total ? w.technicalImpact / norm : 0,
      text: 'total technical impact: full control or full disclosure',
    },
    {
      factor: 'criticality',
      value: (w.criticality * (criticality - refCriticality)) / norm,
      text: describeCriticality(ctx.asset),
    },
    {
      factor: 'environment',
      value: (w.criticality * criticality * (environment - 1)) / norm,
      text: describeEnvironment(ctx.asset),
    },
    {
      factor: 'data-classification',
      value: (w.dataClassification * (getDataLevel(ctx.asset) - refData)) / norm,
      text: describeData(ctx.asset),
    },
  ];
  return { value, reference, terms };
}

/**
 * Exposure E (factors.ts) and its terms: internet, drift, the `in-use` term (kept at zero when not
 * in use, so the explanation says so; none when unknown), and what the compensating controls took.
 */
function getExposureTerms(ctx: FindingContext, w: RiskWeights, reach: Reach) {
  const changed = ctx.drift?.changedPackages ?? 0;
  const controls = [...new Set(ctx.compensatingControls ?? [])];
  const parts = getExposureParts(
    {
      internetExposed: ctx.asset.internetExposed === true,
      reachLevel: reach.level,
      changedPackages: changed,
      inUse: ctx.inUse,
      controls: controls.length,
    },
    w,
  );
  const inUse =
    ctx.inUse === undefined
      ? []
      : [{ factor: IN_USE_FACTOR, value: parts.inUse ?? 0, text: describeInUse(ctx.inUse) }];
  const terms: Term[] = [
    { factor: 'internet-exposure', value: parts.internet, text: reach.text },
    { factor: 'drift', value: parts.drift, text: describeDrift(changed) },
    ...inUse,
    {
      factor: 'compensating-controls',
      value: controls.length > 0 ? parts.value - parts.before : 0,
      text: describeControls(controls),
    },
  ];
  return { value: parts.value, reference: parts.reference, terms };
}
