/**
 * Scoring an update with the reliability prior: the calibrated probability that it will need a
 * regression fix, with the factors that moved it most, from the history known before `day`.
 */
import { applyCalibration } from '../gbdt/index.js';
import { fromDay } from '../history/index.js';
import type { Advisory } from './advisories.js';
import { FEATURE_NAMES, type FeatureName, getFeatures, type PatchCandidate } from './features.js';
import { getHistoryStateAsOf } from './history-state.js';
import type { ReliabilityArtifact } from './model-file.js';
import { explainScorer, predictScorer } from './scorer.js';

/** One named factor of a score. */
export interface ReliabilityFactor {
  feature: FeatureName;
  value: number | null;
  /** Contribution to the (uncalibrated) log-odds. */
  contribution: number;
  text: string;
}

/** A scored update. */
export interface ReliabilityScore {
  package: string;
  asOf: string;
  /** Calibrated probability of a regression update. */
  probability: number;
  /** The model's probability before calibration. */
  rawProbability: number;
  factors: ReliabilityFactor[];
  model: string;
}

const PHRASES: Partial<Record<FeatureName, (v: number) => string>> = {
  pkg_prior_advisories: (v) => `${v} earlier security updates of this package`,
  pkg_prior_regressions: (v) => `${v} earlier updates of this package needed a regression fix`,
  pkg_regression_rate: (v) =>
    `package regression rate ${(100 * v).toFixed(1)} % (shrunk toward the overall rate)`,
  pkg_days_since_previous: (v) => `previous update of this package ${v} days earlier`,
  stem_regression_rate: (v) => `package family regression rate ${(100 * v).toFixed(1)} %`,
  upstream_changed: (v) =>
    v ? 'new upstream version (not a backported patch)' : 'same upstream version (backported patch)',
  family_dla: (v) => (v ? 'long-term-support update (DLA)' : 'stable-release update (DSA)'),
  cve_count: (v) => `${v} CVEs fixed at once`,
  cve_shipped_before_share: (v) =>
    `${Math.round(100 * v)} % of its CVEs were already fixed in an earlier advisory`,
  release_age_years: (v) => `release ${v.toFixed(1)} years old`,
  rev_upload_number: (v) => `update number ${v} of this package in the release`,
  stem_prior_advisories: (v) => `${v} earlier security updates of the package family`,
  days_since_previous_fix_in_release: (v) => `previous fix in this release ${v} days earlier`,
  pkg_days_since_regression: (v) => `last regression of this package ${v} days earlier`,
};

/** Plain words for one factor. */
export function describeReliabilityFactor(feature: FeatureName, value: number): string {
  if (Number.isNaN(value)) return `${feature.replaceAll('_', ' ')}: unknown`;
  return PHRASES[feature]?.(value) ?? `${feature.replaceAll('_', ' ')} = ${Number(value.toPrecision(4))}`;
}

/**
 * Scores a candidate as of `day` from the advisories (only those published, and regression
 * updates dated, before `day` are used). `top` factors by absolute contribution.
 */
export function scorePatch(
  artifact: ReliabilityArtifact,
  advisories: readonly Advisory[],
  candidate: PatchCandidate,
  day: number,
  top = 5,
): ReliabilityScore {
  const state = getHistoryStateAsOf(advisories, day);
  const row = getFeatures(state, candidate);
  const raw = predictScorer(artifact.scorer, row);
  const contributions = explainScorer(artifact.scorer, row);
  const factors = FEATURE_NAMES.map((feature, j) => ({
    feature,
    value: Number.isNaN(row[j]!) ? null : row[j]!,
    contribution: contributions[j] ?? 0,
    text: describeReliabilityFactor(feature, row[j]!),
  }))
    .filter((f) => f.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, top);
  return {
    package: candidate.package,
    asOf: fromDay(day),
    probability: applyCalibration(artifact.calibrator, raw),
    rawProbability: raw,
    factors,
    model: artifact.card.version,
  };
}

/** Debian major version in a security-upload suffix (`+deb11u3`, `~deb10u1`) → release codename. */
const DEBIAN_CODENAMES: Record<string, string> = {
  '6': 'squeeze',
  '7': 'wheezy',
  '8': 'jessie',
  '9': 'stretch',
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
};

/** The release a version was built for, read from its `debNuM` suffix when there is one. */
export function guessRelease(version: string): string | undefined {
  const major = /[+~]deb(\d+)u\d+/.exec(version)?.[1];
  return major ? DEBIAN_CODENAMES[major] : undefined;
}

/** The family (DSA/DLA) of the latest advisory for a release before `day`. */
export function guessFamily(
  advisories: readonly Advisory[],
  release: string,
  day: number,
): 'DSA' | 'DLA' | undefined {
  let family: 'DSA' | 'DLA' | undefined;
  for (const a of advisories) {
    if (a.day >= day) break;
    if (a.fixed.some((f) => f.release === release)) family = a.family;
  }
  return family;
}

/**
 * The calibrated probability for each candidate, from the history known before `day` (computed once
 * for all of them: `scorePatch` rebuilds it per call).
 */
export function scorePatches(
  artifact: ReliabilityArtifact,
  advisories: readonly Advisory[],
  candidates: readonly PatchCandidate[],
  day: number,
): number[] {
  if (candidates.length === 0) return [];
  const state = getHistoryStateAsOf(advisories, day);
  return candidates.map((c) =>
    applyCalibration(artifact.calibrator, predictScorer(artifact.scorer, getFeatures(state, c))),
  );
}
