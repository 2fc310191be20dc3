/**
 * The three factors of R = L · I · E as numbers, without words: what `scoreFinding` decomposes and
 * what the fleet's fast path (src/risk/fleet-risk.ts) multiplies, so both give the same bits. Each
 * factor depends on one side only: L on the vulnerability and the day, I on the asset and the
 * vulnerability's technical impact, E on the asset, the vulnerability's reach, and per finding only
 * package usage and compensating controls.
 */
import type { Asset, FindingContext, VulnerabilityContext } from '../types.js';
import { parseCvssMetrics } from './cvss-vector.js';
import {
  DRIFT_FULL_AT,
  EXPOSURE_BASE,
  getCriticalityLevel,
  getDataLevel,
  getEnvironmentFactor,
  IMPACT_BASE,
  MATURITY_LEVEL,
  type RiskWeights,
} from './levels.js';
import { getExploitProbability } from './probability.js';
import { noisyOr } from './shapley.js';

/** A piece of likelihood evidence on [0, 1] (the noisy-OR's terms, zero ones left out). */
export interface LikelihoodEvidence {
  factor: 'exploit-probability' | 'kev' | 'ransomware' | 'exploit-maturity';
  value: number;
}

/** The likelihood evidence as of `asOf`, in the order the explanation lists it. */
export function getLikelihoodEvidence(
  v: VulnerabilityContext,
  w: RiskWeights,
  asOf: Date,
): LikelihoodEvidence[] {
  const terms: LikelihoodEvidence[] = [
    { factor: 'exploit-probability', value: clamp01(w.exploitProbability * getExploitProbability(v).value) },
  ];
  if (v.kev && v.kev.dateAdded.slice(0, 10) <= asOf.toISOString().slice(0, 10)) {
    terms.push({ factor: 'kev', value: clamp01(w.kev) });
    if (v.kev.ransomware) terms.push({ factor: 'ransomware', value: clamp01(w.ransomware) });
  }
  const maturity = MATURITY_LEVEL[v.exploitMaturity];
  if (maturity > 0) terms.push({ factor: 'exploit-maturity', value: clamp01(w.exploitMaturity * maturity) });
  return terms.filter((t) => t.value > 0);
}

/** Likelihood L: the noisy-OR of the evidence. */
export function getLikelihood(v: VulnerabilityContext, w: RiskWeights, asOf: Date): number {
  return noisyOr(getLikelihoodEvidence(v, w, asOf).map((t) => t.value));
}

/** The normaliser of I: the sum of its terms' maxima. */
export function getImpactNorm(w: RiskWeights): number {
  return IMPACT_BASE + w.technicalImpact + w.criticality + w.dataClassification;
}

/** Impact I = (base + technical impact + criticality·environment + data) / (sum of their maxima). */
export function getImpact(asset: Asset, w: RiskWeights, total: boolean): number {
  const norm = getImpactNorm(w);
  const criticality = getCriticalityLevel(asset);
  const environment = getEnvironmentFactor(asset);
  const level = IMPACT_BASE + (total ? w.technicalImpact : 0) + w.criticality * criticality * environment;
  return clamp01((level + w.dataClassification * getDataLevel(asset)) / norm);
}

/** What exposure depends on: the asset's, the vulnerability's reach, and the finding's own two facts. */
export interface ExposureInput {
  internetExposed: boolean;
  /** The share of the internet a vulnerability can use (`getReach`): 1, ½ or ¼. */
  reachLevel: number;
  /** Packages changed since the baseline (0 without one). */
  changedPackages: number;
  /** Whether a running process maps the package; undefined when unknown. */
  inUse: boolean | undefined;
  /** Distinct compensating controls covering the finding. */
  controls: number;
}

/** The parts of E, each on E's scale: reference, internet, drift, in use, before and after the controls. */
export interface ExposureParts {
  reference: number;
  internet: number;
  drift: number;
  /** Undefined when usage is unknown. */
  inUse: number | undefined;
  before: number;
  value: number;
}

/**
 * Exposure E = (base + internet·reach + drift) / (sum of their maxima), reduced by each compensating
 * control. A package known to be in use adds its weight to both sums (E' = (S + w)/(M + w)); one
 * known not to be in use, or of unknown usage, leaves E as it is (see ../readme.md, "in use").
 */
export function getExposureParts(x: ExposureInput, w: RiskWeights): ExposureParts {
  const norm = EXPOSURE_BASE + w.internetExposure + w.drift;
  const driftLevel = Math.min(1, x.changedPackages / DRIFT_FULL_AT);
  const reference = EXPOSURE_BASE / norm;
  const internet = x.internetExposed ? (w.internetExposure * x.reachLevel) / norm : 0;
  const drift = (w.drift * driftLevel) / norm;
  const inUse = getInUseShare(x.inUse, reference + internet + drift, norm, w.inUse);
  const before = reference + internet + drift + (inUse ?? 0);
  const value = clamp01(before * (1 - clamp01(w.compensatingControls)) ** x.controls);
  return { reference, internet, drift, inUse, before, value };
}

/** Exposure E alone. */
export function getExposure(x: ExposureInput, w: RiskWeights): number {
  return getExposureParts(x, w).value;
}

/**
 * In use, what (S + w)/(M + w) adds to S/M, i.e. w·(1 − E)/(M + w), the share w/(M + w) of the way
 * from E to full exposure, so E stays within [0, 1] with no clamp; not in use, zero; unknown, none.
 */
function getInUseShare(inUse: boolean | undefined, exposure: number, norm: number, weight: number) {
  if (inUse === undefined) return undefined;
  return inUse ? (weight * (1 - exposure)) / (norm + weight) : 0;
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

export interface Reach {
  level: number;
  text: string;
}

const AV_WORDS: Record<string, string> = { A: 'adjacent network', L: 'local', P: 'physical' };

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
