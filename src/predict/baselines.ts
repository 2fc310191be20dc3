import { type AsOfContext, countAtMost, pickCvss } from './features/index.js';
import type { History } from './history/index.js';

/** A baseline scorer: a score per CVE as of T (higher = riskier), or null where it cannot run. */
export interface Baseline {
  id: string;
  label: string;
  score(history: History, context: AsOfContext, cves: Int32Array): Float64Array | null;
}

const cvssAtLeast =
  (threshold: number): Baseline['score'] =>
  (history, context, cves) =>
    Float64Array.from(cves, (cve) =>
      (pickCvss(history, cve, context.day)?.score ?? 0) >= threshold ? 1 : 0,
    );

/** Any exploit or PoC signal dated on or before T. */
function hasPublicExploit(history: History, context: AsOfContext, cves: Int32Array): Float64Array {
  return Float64Array.from(cves, (cve) => {
    const perSource = history.signals.get(cve) ?? [];
    return perSource.some((days) => countAtMost(days, context.day) > 0) ? 1 : 0;
  });
}

/**
 * CVE_Prioritizer's tiers (TURROKS/CVE_Prioritizer, defaults CVSS 6.0 and EPSS 0.2): 1+ = in KEV
 * (never in this population), 1 = CVSS ≥ 6 and EPSS ≥ 0.2, 2 = CVSS ≥ 6 only, 3 = EPSS ≥ 0.2 only,
 * 4 = neither. Scored 4/3/2/1 for tiers 1..4. Needs EPSS as of T.
 */
function prioritizerTiers(history: History, context: AsOfContext, cves: Int32Array): Float64Array | null {
  const epss = context.epss;
  if (!epss) return null;
  return Float64Array.from(cves, (cve) => {
    const cvss = (pickCvss(history, cve, context.day)?.score ?? 0) >= 6;
    const hot = (epss.score[cve] ?? 0) >= 0.2;
    if (cvss && hot) return 4;
    if (cvss) return 3;
    return hot ? 2 : 1;
  });
}

/** FIRST's EPSS as of T (the latest full file at most 45 days old); missing CVEs score 0. */
function epssAsOf(_history: History, context: AsOfContext, cves: Int32Array): Float64Array | null {
  const epss = context.epss;
  if (!epss) return null;
  return Float64Array.from(cves, (cve) => {
    const value = epss.score[cve] ?? Number.NaN;
    return Number.isNaN(value) ? 0 : value;
  });
}

/** The baselines of the backtest table, in display order. */
export const BASELINES: readonly Baseline[] = [
  { id: 'cvss7', label: 'CVSS ≥ 7', score: cvssAtLeast(7) },
  { id: 'cvss9', label: 'CVSS ≥ 9', score: cvssAtLeast(9) },
  { id: 'exploit', label: 'public exploit code', score: hasPublicExploit },
  { id: 'prioritizer', label: 'CVE_Prioritizer tiers', score: prioritizerTiers },
  { id: 'epss', label: 'EPSS', score: epssAsOf },
];
