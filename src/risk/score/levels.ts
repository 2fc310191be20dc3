/**
 * The fixed scales of risk scoring: each qualitative input mapped onto [0, 1], the CVSS-based prior,
 * and the reference context that explanations are measured against. Weights are configurable
 * (`risk.weights`); these scales are not, so that a weight always means the same thing.
 */
import type { Asset, VulnerabilityContext } from '../types.js';
import { getEnvironmentKind } from './ssvc.js';

/** `risk.weights` of patchcast.yaml. */
export interface RiskWeights {
  exploitProbability: number;
  kev: number;
  ransomware: number;
  exploitMaturity: number;
  technicalImpact: number;
  criticality: number;
  internetExposure: number;
  dataClassification: number;
  compensatingControls: number;
  drift: number;
  inUse: number;
}

/** The defaults of `risk.weights` (kept equal to the config schema's by a test). */
export const DEFAULT_RISK_WEIGHTS: Readonly<RiskWeights> = {
  exploitProbability: 1,
  kev: 0.3,
  ransomware: 0.1,
  exploitMaturity: 0.2,
  technicalImpact: 0.1,
  criticality: 0.3,
  internetExposure: 0.3,
  dataClassification: 0.1,
  compensatingControls: 0.2,
  drift: 0.05,
  inUse: 0.15,
};

/** Impact every compromise has, whatever the asset (the constant term of I). */
export const IMPACT_BASE = 0.2;
/** Exposure of an internal host: reachable after a foothold (the constant term of E). */
export const EXPOSURE_BASE = 0.3;
/** Packages changed since the baseline at which drift counts in full. */
export const DRIFT_FULL_AT = 20;

export const MATURITY_LEVEL: Readonly<Record<VulnerabilityContext['exploitMaturity'], number>> = {
  none: 0,
  poc: 1 / 3,
  weaponized: 2 / 3,
  active: 1,
};

export const CRITICALITY_LEVEL: Readonly<Record<NonNullable<Asset['criticality']>, number>> = {
  low: 0,
  medium: 1 / 3,
  high: 2 / 3,
  critical: 1,
};

/** How much of the asset's criticality counts in each kind of environment. */
export const ENVIRONMENT_FACTOR = { production: 1, staging: 0.5, development: 0.25 } as const;

/** Data classification levels; unknown names count as internal. */
const DATA_LEVEL: Readonly<Record<string, number>> = {
  public: 0,
  internal: 1 / 3,
  confidential: 2 / 3,
  restricted: 1,
  secret: 1,
  pci: 1,
  phi: 1,
  pii: 2 / 3,
};

export function getCriticalityLevel(asset: Asset): number {
  return CRITICALITY_LEVEL[asset.criticality ?? 'medium'];
}

export function getEnvironmentFactor(asset: Asset): number {
  return ENVIRONMENT_FACTOR[getEnvironmentKind(asset.environment)];
}

export function getDataLevel(asset: Asset): number {
  return DATA_LEVEL[asset.dataClassification?.toLowerCase() ?? 'internal'] ?? 1 / 3;
}

/**
 * The CVSS-based prior: the mean EPSS of all CVEs in FIRST's file of 2026-01-30 by CVSS v3 base
 * score band (≈ 203k CVEs with both; `../shared/data`), so that a CVE without a model or EPSS score
 * gets the exploitation probability of a typical CVE of its severity.
 */
export const CVSS_PRIOR = [
  { min: 9, label: 'critical', probability: 0.136 },
  { min: 7, label: 'high', probability: 0.047 },
  { min: 4, label: 'medium', probability: 0.025 },
  { min: 0, label: 'low', probability: 0.009 },
] as const;
/** The same mean over CVEs with no CVSS at all. */
export const UNSCORED_PRIOR = 0.013;

const SEVERITY_SCORE: Readonly<Record<string, number>> = {
  critical: 9,
  high: 7,
  medium: 4,
  moderate: 4,
  low: 0,
};

/** The prior band of a CVSS score, or of a qualitative severity when there is no score. */
export function getCvssPrior(v: Pick<VulnerabilityContext, 'cvssScore' | 'severity'>): {
  probability: number;
  label: string;
} {
  const score = v.cvssScore ?? SEVERITY_SCORE[v.severity?.toLowerCase() ?? ''];
  if (score === undefined) return { probability: UNSCORED_PRIOR, label: 'unscored' };
  const band = CVSS_PRIOR.find((b) => score >= b.min) ?? CVSS_PRIOR[3];
  return band;
}
