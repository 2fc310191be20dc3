/**
 * Features of a security update as of its day: the update itself (family, CVEs, releases, version
 * patterns, title) and its package's history before that day (`HistoryState`). Missing is NaN.
 */
import type { Advisory, FixedEntry } from './advisories.js';
import { getPackageStem, type HistoryState, type PackageStats, sweepHistory } from './history-state.js';
import { compareUpstream, getRevisionFacts, getUpstream, isRealVersion } from './version-features.js';

/** An update to score: an advisory, or a package version a fleet is about to install. */
export interface PatchCandidate {
  package: string;
  fixed: FixedEntry[];
  family?: 'DSA' | 'DLA';
  /** Advisory revision (2 and up re-issue an earlier advisory). */
  revision?: number;
  title?: string;
  /** CVE ids fixed (their count when only that is known goes in `cveCount`). */
  cves?: string[];
  cveCount?: number;
  /** The update announces a fix for an earlier regression. */
  isRegressionUpdate?: boolean;
}

/** Feature names in model order. */
export const FEATURE_NAMES = [
  'family_dla',
  'advisory_revision',
  'is_regression_fix',
  'cve_count',
  'fixed_entries',
  'release_count',
  'fixed_package_count',
  'pkg_prior_advisories',
  'pkg_prior_regressions',
  'pkg_regression_rate',
  'pkg_advisories_last_year',
  'pkg_days_since_previous',
  'pkg_days_since_regression',
  'stem_prior_advisories',
  'stem_prior_regressions',
  'stem_regression_rate',
  'upstream_changed',
  'upstream_major_changed',
  'upstream_minor_changed',
  'days_since_previous_fix_in_release',
  'rev_tilde_deb',
  'rev_plus_deb',
  'rev_zero',
  'rev_upload_number',
  'rev_really',
  'rev_native',
  'cve_shipped_before_share',
  'cve_regressed_before',
  'cve_oldest_age_years',
  'release_rank_min',
  'release_rank_max',
  'release_age_years',
  'title_generic',
  'title_regression',
  'title_several',
  'title_new_upstream',
  'title_denial_of_service',
  'title_code_execution',
  'title_overflow',
  'title_web',
  'kind_kernel',
  'kind_browser',
  'kind_runtime',
  'kind_library',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Pseudo-count that shrinks a package's regression rate toward the overall rate as of the day. */
const RATE_PRIOR_WEIGHT = 10;

const NAN = Number.NaN;

function smoothedRate(stats: PackageStats | undefined, overall: number): number {
  const n = stats?.advisories ?? 0;
  const k = stats?.regressions ?? 0;
  return (k + RATE_PRIOR_WEIGHT * overall) / (n + RATE_PRIOR_WEIGHT);
}

function countSince(days: readonly number[], from: number): number {
  let count = 0;
  for (let i = days.length - 1; i >= 0 && days[i]! >= from; i--) count++;
  return count;
}

function packageFeatures(state: HistoryState, name: string): number[] {
  const day = state.day;
  const overall = (state.regressions + 1) / (state.advisories + 30); // ≈ 3 % with no data
  const pkg = state.packages.get(name);
  const stem = state.stems.get(getPackageStem(name));
  const last = pkg?.days[pkg.days.length - 1];
  return [
    pkg?.advisories ?? 0,
    pkg?.regressions ?? 0,
    smoothedRate(pkg, overall),
    pkg ? countSince(pkg.days, day - 365) : 0,
    last === undefined ? NAN : day - last,
    pkg && Number.isFinite(pkg.lastRegressionDay) ? day - pkg.lastRegressionDay : NAN,
    stem?.advisories ?? 0,
    stem?.regressions ?? 0,
    smoothedRate(stem, overall),
  ];
}

/** Max over entries, ignoring NaN (NaN when every entry is NaN). */
function maxOf(values: readonly number[]): number {
  let out = NAN;
  for (const v of values) if (!Number.isNaN(v) && !(v <= out)) out = v;
  return out;
}

function minOf(values: readonly number[]): number {
  return -maxOf(values.map((v) => -v));
}

function versionFeatures(state: HistoryState, fixed: readonly FixedEntry[]): number[] {
  const real = fixed.filter((f) => isRealVersion(f.version));
  const changes = real.map((f) => {
    const previous = state.previousFix.get(`${f.release}/${f.package}`);
    return { change: compareUpstream(previous?.upstream, getUpstream(f.version)), previous };
  });
  const facts = real.map((f) => getRevisionFacts(f.version));
  return [
    maxOf(changes.map((c) => c.change.changed)),
    maxOf(changes.map((c) => c.change.major)),
    maxOf(changes.map((c) => c.change.minor)),
    minOf(changes.map((c) => (c.previous ? state.day - c.previous.day : NAN))),
    maxOf(facts.map((f) => f.tildeDeb)),
    maxOf(facts.map((f) => f.plusDeb)),
    maxOf(facts.map((f) => f.zeroRevision)),
    maxOf(facts.map((f) => f.uploadNumber)),
    maxOf(facts.map((f) => f.really)),
    maxOf(facts.map((f) => f.native)),
  ];
}

/**
 * The CVEs fixed: how many were already fixed by an earlier advisory (a port of a fix already
 * shipped elsewhere), how many had a fix with a revealed regression, and the oldest CVE's age
 * (from its id's year: long-standing CVEs fixed late are often hard backports).
 */
function cveFeatures(state: HistoryState, cves: readonly string[] | undefined): number[] {
  if (!cves || cves.length === 0) return [NAN, cves ? 0 : NAN, NAN];
  let shipped = 0;
  let regressed = 0;
  let oldest = Number.POSITIVE_INFINITY;
  for (const cve of cves) {
    const facts = state.cves.get(cve);
    if (facts) shipped++;
    if (facts?.regressed) regressed++;
    const year = Number(/^CVE-(\d{4})-/.exec(cve)?.[1]);
    if (year > 0) oldest = Math.min(oldest, year);
  }
  const age = Number.isFinite(oldest) ? 1970 + state.day / 365.25 - (oldest + 0.5) : NAN;
  return [shipped / cves.length, regressed, age];
}

/** 0 for the newest release seen before the day, 1 for the one before it, …; NaN if unseen. */
function releaseFeatures(state: HistoryState, fixed: readonly FixedEntry[]): number[] {
  const firstDays = [...state.releaseFirstDay.values()];
  const ranks: number[] = [];
  const ages: number[] = [];
  for (const release of new Set(fixed.map((f) => f.release))) {
    const first = state.releaseFirstDay.get(release);
    if (first === undefined) continue;
    ranks.push(firstDays.filter((d) => d > first).length);
    ages.push((state.day - first) / 365.25);
  }
  return [minOf(ranks), maxOf(ranks), maxOf(ages)];
}

const TITLE_PATTERNS = [
  /^security update$/,
  /regression/,
  /several|multiple/,
  /new upstream|update to/,
  /denial of service/,
  /code execution|arbitrary code/,
  /overflow/,
  /cross.site|sql injection|xss/,
];

const KIND_PATTERNS = [
  /^linux|kernel/,
  /firefox|thunderbird|icedove|iceweasel|chromium|webkit/,
  /^(php|python|ruby|perl|openjdk|nodejs|golang)/,
  /^lib/,
];

function textFeatures(candidate: PatchCandidate): number[] {
  const title = candidate.title?.trim().toLowerCase();
  const titles = TITLE_PATTERNS.map((re) => (title === undefined ? NAN : re.test(title) ? 1 : 0));
  const kinds = KIND_PATTERNS.map((re) => (re.test(candidate.package.toLowerCase()) ? 1 : 0));
  return [...titles, ...kinds];
}

function boolOrNaN(value: boolean | undefined): number {
  return value === undefined ? NAN : value ? 1 : 0;
}

/** The feature row of a candidate as of `state.day` (the state must hold only earlier events). */
export function getFeatures(state: HistoryState, candidate: PatchCandidate): number[] {
  const fixed = candidate.fixed;
  const row = [
    candidate.family === undefined ? NAN : candidate.family === 'DLA' ? 1 : 0,
    candidate.revision ?? NAN,
    boolOrNaN(candidate.isRegressionUpdate),
    candidate.cves?.length ?? candidate.cveCount ?? NAN,
    fixed.length,
    new Set(fixed.map((f) => f.release)).size,
    new Set(fixed.map((f) => f.package)).size,
    ...packageFeatures(state, candidate.package),
    ...versionFeatures(state, fixed),
    ...cveFeatures(state, candidate.cves),
    ...releaseFeatures(state, fixed),
    ...textFeatures(candidate),
  ];
  return row;
}

/** What the model may see of an advisory on its own day: everything but the label facts. */
export function toCandidate(advisory: Advisory): PatchCandidate {
  return {
    package: advisory.package,
    fixed: advisory.fixed,
    family: advisory.family,
    revision: advisory.revision,
    title: advisory.title,
    cves: advisory.cves,
    isRegressionUpdate: advisory.isRegressionUpdate,
  };
}

/** One feature row per advisory, each as of the advisory's own day, in day order. */
export interface FeatureTable {
  advisories: Advisory[];
  /** Row-major, `advisories.length × FEATURE_NAMES.length`. */
  features: Float64Array;
}

/** Computes every advisory's features from what was known before its day. */
export function buildFeatureTable(advisories: readonly Advisory[]): FeatureTable {
  const width = FEATURE_NAMES.length;
  const rows: Advisory[] = [];
  const values: number[] = [];
  sweepHistory(advisories, (advisory, state) => {
    rows.push(advisory);
    const row = getFeatures(state, toCandidate(advisory));
    for (let j = 0; j < width; j++) values.push(row[j]!);
  });
  return { advisories: rows, features: Float64Array.from(values) };
}
