/**
 * A finding's risk: R = L · I · E in [0, 1], and its exact decomposition into named contributions.
 * See ../readme.md for the formula, the scales and a worked example.
 */
import type { Contribution, ExploitEstimate, ExploitSource, FindingContext, RiskScore } from '../types.js';
import { parseCvssMetrics } from './cvss-vector.js';
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
  DRIFT_FULL_AT,
  EXPOSURE_BASE,
  getCriticalityLevel,
  getCvssPrior,
  getDataLevel,
  getEnvironmentFactor,
  IMPACT_BASE,
  MATURITY_LEVEL,
  type RiskWeights,
} from './levels.js';
import { getNoisyOrShares, getProductRates, noisyOr } from './shapley.js';
import { getSsvc } from './ssvc.js';

/** The factor name of package usage in contributions. */
const IN_USE_FACTOR = 'in-use';

/** One named term of a factor: its value on the factor's scale and its words. */
interface Term {
  factor: string;
  value: number;
  text: string;
}

/**
 * The probability of exploitation the score starts from. For a CVE in the exploit model's population
 * (published, not in KEV) it is max(model on EPSS's scale, EPSS). The model forecasts a KEV listing,
 * a far rarer event than EPSS's exploitation activity, so its raw probability is put on EPSS's scale
 * first (the EPSS score at the CVE's model rank in the day's population): the model's ranking then
 * counts as much as EPSS's, and EPSS still wins where exploitation is seen but a KEV listing is
 * unlikely (old CVEs, products outside federal use). Backtested in src/risk/readme.md: on KEV
 * additions this keeps most of the model's lead over EPSS, where max(raw model, EPSS) ranked like
 * EPSS. Without a scale for the day (too few EPSS scores) the raw model probability takes its place.
 * Outside the population (a KEV-listed CVE: the KEV factor carries it) EPSS, else the CVSS prior.
 */
export function getExploitProbability(v: FindingContext['vulnerability']): {
  value: number;
  source: ExploitSource;
} {
  const model = v.modelOnEpssScale ?? v.modelProbability;
  if (model !== undefined && !(v.epss && v.epss.score > model)) return { value: model, source: 'model' };
  if (v.epss) return { value: v.epss.score, source: 'epss' };
  return { value: getCvssPrior(v).probability, source: 'cvss-prior' };
}

/**
 * The exploit probability a finding's risk used, with its source, horizon and day, and EPSS beside
 * it (the `exploit` of a finding's explanation). EPSS and the CVSS prior (a mean EPSS) are 30-day
 * forecasts.
 */
export function getExploitEstimate(v: FindingContext['vulnerability'], asOf: Date): ExploitEstimate {
  const { value, source } = getExploitProbability(v);
  const day = asOf.toISOString().slice(0, 10);
  return {
    probability: value,
    source,
    horizonDays: source === 'model' ? (v.modelHorizonDays ?? EPSS_HORIZON_DAYS) : EPSS_HORIZON_DAYS,
    asOf: source === 'model' ? (v.modelAsOf ?? day) : source === 'epss' && v.epss ? v.epss.date : day,
    epss: v.epss ? { score: v.epss.score, date: v.epss.date } : null,
    model:
      v.modelProbability === undefined
        ? null
        : {
            probability: v.modelProbability,
            onEpssScale: v.modelOnEpssScale ?? null,
            asOf: v.modelAsOf ?? day,
          },
  };
}

/** EPSS forecasts exploitation activity in the next 30 days (FIRST). */
const EPSS_HORIZON_DAYS = 30;

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

/** Likelihood evidence, each on [0, 1], combined as a noisy-OR. */
function getLikelihoodTerms(ctx: FindingContext, w: RiskWeights, asOf: Date): Term[] {
  const v = ctx.vulnerability;
  const p = getExploitProbability(v);
  const terms: Term[] = [
    {
      factor: 'exploit-probability',
      value: clamp01(w.exploitProbability * p.value),
      text: describeProbability(v, p.source),
    },
  ];
  const asOfDay = asOf.toISOString().slice(0, 10);
  if (v.kev && v.kev.dateAdded.slice(0, 10) <= asOfDay) {
    terms.push({ factor: 'kev', value: clamp01(w.kev), text: describeKev(v.kev) });
    if (v.kev.ransomware)
      terms.push({
        factor: 'ransomware',
        value: clamp01(w.ransomware),
        text: 'known use in ransomware campaigns (CISA KEV)',
      });
  }
  const maturity = MATURITY_LEVEL[v.exploitMaturity];
  if (maturity > 0)
    terms.push({
      factor: 'exploit-maturity',
      value: clamp01(w.exploitMaturity * maturity),
      text: describeMaturity(v),
    });
  return terms.filter((t) => t.value > 0);
}

/** Impact I = (base + technical impact + criticality·environment + data) / (sum of their maxima). */
function getImpactTerms(ctx: FindingContext, w: RiskWeights, total: boolean) {
  const norm = IMPACT_BASE + w.technicalImpact + w.criticality + w.dataClassification;
  const refCriticality = getCriticalityLevel({ ...ctx.asset, criticality: 'medium' });
  const refData = 1 / 3;
  const criticality = getCriticalityLevel(ctx.asset);
  const environment = getEnvironmentFactor(ctx.asset);
  const reference = (IMPACT_BASE + w.criticality * refCriticality + w.dataClassification * refData) / norm;
  const level = IMPACT_BASE + (total ? w.technicalImpact : 0) + w.criticality * criticality * environment;
  const value = clamp01((level + w.dataClassification * getDataLevel(ctx.asset)) / norm);
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
 * How much of an internet-facing asset's exposure a vulnerability can use: all of it when the attack
 * is automatable (network, low complexity, no privileges, no user interaction) or unknown; half when
 * it is over the network but needs a person, privileges or luck; a quarter when it is adjacent, local
 * or physical.
 */
export function getReach(v: FindingContext['vulnerability'], automatable: 'yes' | 'no'): Reach {
  if (automatable === 'yes') return { level: 1, text: 'internet-facing' };
  const av = v.cvssVector ? parseCvssMetrics(v.cvssVector).av : undefined;
  if (av === undefined && !v.ssvc?.automatable) return { level: 1, text: 'internet-facing' };
  if (av === undefined || av === 'N')
    return { level: 0.5, text: 'internet-facing (exploitation needs user interaction, privileges or luck)' };
  return { level: 0.25, text: `internet-facing (attack vector ${AV_WORDS[av] ?? av}, not the internet)` };
}

interface Reach {
  level: number;
  text: string;
}

const AV_WORDS: Record<string, string> = { A: 'adjacent network', L: 'local', P: 'physical' };

/**
 * Exposure E = (base + internet·reach + drift) / (sum of their maxima), reduced by each compensating
 * control. A package known to be in use adds its weight to both sums (E' = (S + w)/(M + w)); one
 * known not to be in use, or of unknown usage, leaves E as it is (see ../readme.md, "in use").
 */
function getExposureTerms(ctx: FindingContext, w: RiskWeights, reach: Reach) {
  const norm = EXPOSURE_BASE + w.internetExposure + w.drift;
  const changed = ctx.drift?.changedPackages ?? 0;
  const driftLevel = Math.min(1, changed / DRIFT_FULL_AT);
  const reference = EXPOSURE_BASE / norm;
  const inet = ctx.asset.internetExposed ? (w.internetExposure * reach.level) / norm : 0;
  const drift = (w.drift * driftLevel) / norm;
  const inUse = getInUseTerm(ctx.inUse, reference + inet + drift, norm, w.inUse);
  const before = reference + inet + drift + (inUse?.value ?? 0);
  const controls = [...new Set(ctx.compensatingControls ?? [])];
  const value = clamp01(before * (1 - clamp01(w.compensatingControls)) ** controls.length);
  const reduction = controls.length > 0 ? value - before : 0;
  const terms: Term[] = [
    { factor: 'internet-exposure', value: inet, text: reach.text },
    { factor: 'drift', value: drift, text: describeDrift(changed) },
    ...(inUse ? [inUse] : []),
    { factor: 'compensating-controls', value: reduction, text: describeControls(controls) },
  ];
  return { value, reference, terms };
}

/**
 * The `in-use` term: in use, what (S + w)/(M + w) adds to S/M, i.e. w·(1 − E)/(M + w), the share
 * w/(M + w) of the way from E to full exposure, so E stays within [0, 1] with no clamp and the terms
 * still add up; not in use, zero (kept, so the explanation says so); unknown, no term at all.
 */
function getInUseTerm(inUse: boolean | undefined, exposure: number, norm: number, weight: number) {
  if (inUse === undefined) return undefined;
  const value = inUse ? (weight * (1 - exposure)) / (norm + weight) : 0;
  return { factor: IN_USE_FACTOR, value, text: describeInUse(inUse) };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
