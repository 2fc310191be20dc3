/**
 * Daily score history, pure part: which scores of a day are worth a row (the change rows of
 * `exploit_scores`) and the day's distribution summary (drift). The store's side is in
 * src/store/repositories/exploit-scores.ts.
 */

/** A CVE's latest stored score. */
export interface StoredScore {
  probability: number | null;
  percentile: number | null;
  modelVersion: string;
}

/** A row to store for the day; `probability: null` marks a CVE that left the population. */
export interface ScoreChange {
  cve: string;
  probability: number | null;
  percentile: number | null;
}

/** A change is stored when |Δp| > max(absolute, relative × previous p). */
export interface ScoreTolerance {
  absolute: number;
  relative: number;
}

export const DEFAULT_SCORE_TOLERANCE: ScoreTolerance = { absolute: 0.00001, relative: 0.1 };

/** Percentiles above this are the top decile. */
export const TOP_DECILE = 90;
/** The drift summary's "share above" threshold. */
export const SHARE_ABOVE = 0.1;

/** One day's scores by CVE id (parallel arrays). */
export interface DayScores {
  cves: readonly string[];
  probabilities: ArrayLike<number>;
  percentiles: ArrayLike<number>;
}

/**
 * The rows to store for a day: new CVEs, moves beyond the tolerance, top-decile entries and exits,
 * every CVE when the model version changed (a keyframe), and a NULL row for each CVE that left the
 * population. Replaying the rows (latest per CVE) gives every score within the tolerance and the
 * exact top-decile membership.
 */
export function getScoreChanges(
  previous: ReadonlyMap<string, StoredScore>,
  today: DayScores,
  modelVersion: string,
  tolerance: ScoreTolerance = DEFAULT_SCORE_TOLERANCE,
): ScoreChange[] {
  const out: ScoreChange[] = [];
  const seen = new Set<string>();
  for (const [i, cve] of today.cves.entries()) {
    seen.add(cve);
    const probability = today.probabilities[i] ?? 0;
    const percentile = today.percentiles[i] ?? 0;
    const last = previous.get(cve);
    if (!last || isChanged(last, probability, percentile, modelVersion, tolerance))
      out.push({ cve, probability, percentile });
  }
  for (const [cve, last] of previous)
    if (last.probability !== null && !seen.has(cve)) out.push({ cve, probability: null, percentile: null });
  return out;
}

function isChanged(
  last: StoredScore,
  probability: number,
  percentile: number,
  modelVersion: string,
  tolerance: ScoreTolerance,
): boolean {
  if (last.probability === null || last.modelVersion !== modelVersion) return true;
  if ((last.percentile ?? 0) > TOP_DECILE !== percentile > TOP_DECILE) return true;
  const allowed = Math.max(tolerance.absolute, tolerance.relative * last.probability);
  return Math.abs(probability - last.probability) > allowed;
}

/** The distribution of one day's scores, and how much of the previous top decile left it. */
export interface ScoreSummary {
  scored: number;
  mean: number;
  /** Share of CVEs with probability above SHARE_ABOVE (0.1). */
  shareAbove: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Σ probabilities: the KEV additions the model expects within its horizon. */
  expectedKev: number;
  /** Lowest probability in the top decile. */
  topDecileThreshold: number;
  /** Share of the previous day's top decile no longer in it (null without a previous day). */
  topDecileChurn: number | null;
}

/** Summarises a day; `previousTop` is the previous stored day's top decile (CVE ids). */
export function summarizeScores(today: DayScores, previousTop: ReadonlySet<string> | null): ScoreSummary {
  const n = today.cves.length;
  const sorted = Float64Array.from(today.probabilities).sort();
  let sum = 0;
  let above = 0;
  let threshold = Number.POSITIVE_INFINITY;
  const top = new Set<string>();
  for (const [i, cve] of today.cves.entries()) {
    const p = today.probabilities[i] ?? 0;
    sum += p;
    if (p > SHARE_ABOVE) above++;
    if ((today.percentiles[i] ?? 0) > TOP_DECILE) {
      top.add(cve);
      threshold = Math.min(threshold, p);
    }
  }
  return {
    scored: n,
    mean: n ? sum / n : 0,
    shareAbove: n ? above / n : 0,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[n - 1] ?? 0,
    expectedKev: sum,
    topDecileThreshold: Number.isFinite(threshold) ? threshold : 0,
    topDecileChurn: previousTop ? getChurn(previousTop, top) : null,
  };
}

/** Share of `before` that is not in `after` (0 when `before` is empty). */
export function getChurn(before: ReadonlySet<string>, after: ReadonlySet<string>): number {
  if (before.size === 0) return 0;
  let left = 0;
  for (const cve of before) if (!after.has(cve)) left++;
  return left / before.size;
}

/** The top decile of a stored state (latest row per CVE). */
export function getStoredTopDecile(state: ReadonlyMap<string, StoredScore>): Set<string> {
  const top = new Set<string>();
  for (const [cve, s] of state) if (s.probability !== null && (s.percentile ?? 0) > TOP_DECILE) top.add(cve);
  return top;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
