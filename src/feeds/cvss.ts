import type { CvssMetric, Vulnerability } from '../core/types.js';

/** A CVSS metric as the feeds keep it: the core fields plus who scored it (`nvd`, `cna`, `cisa-adp`, …). */
export interface SourcedCvss extends CvssMetric {
  source?: string;
  severity?: string;
}

// CVSS v3.x base metric weights (FIRST CVSS v3.1 specification, §7.4).
const AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Record<string, number> = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

/**
 * The base score of a CVSS v3.0/v3.1 vector (`CVSS:3.1/AV:N/…`), or undefined when the vector is not
 * a complete v3 base vector. v3.0 rounds up to one decimal; v3.1 uses the spec's float-safe Roundup.
 */
export function getCvss3BaseScore(vector: string): number | undefined {
  const parts = vector.split('/');
  const version = /^CVSS:(3\.[01])$/.exec(parts[0] ?? '')?.[1];
  if (!version) return undefined;
  const m = new Map(parts.slice(1).map((p) => p.split(':') as [string, string]));
  const scope = m.get('S');
  const av = AV[m.get('AV') ?? ''];
  const ac = AC[m.get('AC') ?? ''];
  const pr = (scope === 'C' ? PR_CHANGED : PR_UNCHANGED)[m.get('PR') ?? ''];
  const ui = UI[m.get('UI') ?? ''];
  const [c, i, a] = ['C', 'I', 'A'].map((k) => CIA[m.get(k) ?? '']);
  if (scope !== 'U' && scope !== 'C') return undefined;
  if ([av, ac, pr, ui, c, i, a].some((w) => w === undefined)) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  const raw = Math.min((scope === 'U' ? 1 : 1.08) * (impact + exploitability), 10);
  return version === '3.0' ? Math.ceil(raw * 10) / 10 : roundUp31(raw);
}

/** CVSS v3.1 Appendix A Roundup: the smallest one-decimal number ≥ x, immune to float noise. */
function roundUp31(x: number): number {
  const scaled = Math.round(x * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

/** The qualitative rating of a v3/v4 score (NONE, LOW, MEDIUM, HIGH, CRITICAL). */
export function getCvssSeverity(score: number): string {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** v2 ratings differ: 0–3.9 LOW, 4–6.9 MEDIUM, 7–10 HIGH (NVD). */
export function getCvss2Severity(score: number): string {
  if (score < 4) return 'LOW';
  return score < 7 ? 'MEDIUM' : 'HIGH';
}

const SOURCE_RANK = ['nvd', 'cna', 'cisa-adp'];

/**
 * The metric to show as the record's score: the highest CVSS version with a score; within a version the
 * primary scorer (NVD, then the CNA, then CISA ADP, then others), then the first listed.
 */
export function pickPrimaryCvss<T extends SourcedCvss>(metrics: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const metric of metrics) {
    if (metric.score === undefined) continue;
    if (!best || compareCvss(metric, best) > 0) best = metric;
  }
  return best;
}

function compareCvss(a: SourcedCvss, b: SourcedCvss): number {
  const byVersion = Number.parseFloat(a.version) - Number.parseFloat(b.version);
  if (byVersion !== 0 && !Number.isNaN(byVersion)) return byVersion;
  return rankOf(b.source) - rankOf(a.source);
}

function rankOf(source: string | undefined): number {
  const i = SOURCE_RANK.indexOf(source ?? '');
  return i < 0 ? SOURCE_RANK.length : i;
}

/** The CVSS fields of a Vulnerability. */
export type CvssSummary = Pick<Vulnerability, 'cvss' | 'cvssScore' | 'cvssVector' | 'severity'>;

/** `cvss[]` plus the primary metric's score, vector and severity (`score` alone when no vector is known). */
export function summarizeCvss(cvss: SourcedCvss[], scoreOnly?: number): CvssSummary {
  const out: CvssSummary = {};
  if (cvss.length > 0) out.cvss = cvss;
  const primary = pickPrimaryCvss(cvss);
  if (primary?.score !== undefined) {
    out.cvssScore = primary.score;
    out.cvssVector = primary.vector;
    out.severity =
      primary.severity ??
      (primary.version.startsWith('2') ? getCvss2Severity(primary.score) : getCvssSeverity(primary.score));
  } else if (scoreOnly !== undefined) {
    out.cvssScore = scoreOnly;
    out.severity = getCvssSeverity(scoreOnly);
  }
  return out;
}
