import { type ExploitModelArtifact, type Scores, scoreAsOf } from './exploit-model.js';
import { type FeatureExtractor, getTopVendor, makeFeatureExtractor } from './features/index.js';
import { explainRow } from './gbdt/index.js';
import { fromDay, type History } from './history/index.js';

/** One factor of a score: a feature, its value, its TreeSHAP contribution (log-odds) and words. */
export interface Factor {
  feature: string;
  value: number;
  contribution: number;
  text: string;
}

/** A CVE's score as of a day, explained. */
export interface Explained {
  cve: string;
  asOf: string;
  probability: number;
  percentile: number;
  inPopulation: boolean;
  factors: Factor[];
}

const AV = ['physical', 'local', 'adjacent network', 'network'];
const SOURCE_WORDS: Record<string, string> = {
  metasploit: 'a Metasploit module',
  exploitdb: 'an Exploit-DB exploit',
  'github-poc': 'a GitHub proof-of-concept',
  nuclei: 'a nuclei template',
  '0day-today': 'a 0day.today exploit',
  'trickest-poc-reference': 'a PoC reference',
  'trickest-github-poc': 'a GitHub PoC reference',
};

/**
 * Explains the score of one CVE as of `day`: probability, percentile within the population at
 * that day, and the `top` factors by |contribution| in plain words.
 */
export function explainCve(
  history: History,
  artifact: ExploitModelArtifact,
  cve: string,
  day: number,
  top = 5,
  scores: Scores = scoreAsOf(history, artifact, day),
): Explained | null {
  const index = history.indexOf.get(cve);
  if (index === undefined) return null;
  const position = scores.cves.indexOf(index);
  const extractor = getExtractor(history, artifact);
  const row = new Float64Array(extractor.names.length);
  extractor.write(scores.context, index, row, 0);
  const single = position >= 0 ? null : scoreAsOf(history, artifact, day, Int32Array.of(index));
  const { contributions } = explainRow(artifact.gbdt, row);
  const ranked = [...contributions.keys()].sort(
    (a, b) => Math.abs(contributions[b] ?? 0) - Math.abs(contributions[a] ?? 0),
  );
  const factors: Factor[] = [];
  for (const k of ranked) {
    if (factors.length >= top) break;
    const feature = extractor.names[k] ?? '';
    const value = row[k] ?? Number.NaN;
    const text = describeFactor(feature, value, { history, cve: index, day, scores });
    // Several features can read as one sentence (vendor count and rate): merge their contributions.
    const same = factors.find((f) => f.text === text);
    if (same) same.contribution += contributions[k] ?? 0;
    else factors.push({ feature, value, contribution: contributions[k] ?? 0, text });
  }
  return {
    cve,
    asOf: fromDay(day),
    probability: position >= 0 ? (scores.probabilities[position] ?? 0) : (single?.probabilities[0] ?? 0),
    percentile: position >= 0 ? (scores.percentiles[position] ?? 0) : Number.NaN,
    inPopulation: position >= 0,
    factors,
  };
}

const extractors = new WeakMap<ExploitModelArtifact, { history: History; extractor: FeatureExtractor }>();

function getExtractor(history: History, artifact: ExploitModelArtifact): FeatureExtractor {
  const cached = extractors.get(artifact);
  if (cached?.history === history) return cached.extractor;
  const extractor = makeFeatureExtractor(history, artifact.encoders, artifact.epss);
  extractors.set(artifact, { history, extractor });
  return extractor;
}

interface DescribeContext {
  history: History;
  cve: number;
  day: number;
  scores: Scores;
}

/** Plain words for one feature value ("a Metasploit module appeared 12 days ago"). */
export function describeFactor(feature: string, value: number, ctx: DescribeContext): string {
  const missing = Number.isNaN(value);
  const signal = /^sig_(.+)_(count|days_since_first)$/.exec(feature);
  if (signal) {
    const what = SOURCE_WORDS[signal[1] ?? ''] ?? signal[1];
    if (missing || value === 0) return `no ${what} as of ${fromDay(ctx.day)}`;
    return signal[2] === 'count' ? `${value} × ${what}` : `${what} appeared ${value} days ago`;
  }
  if (feature === 'sig_days_since_last')
    return missing ? 'no exploit signal yet' : `latest exploit signal ${value} days ago`;
  if (feature === 'sig_any_count') return `${value} exploit signal(s) in all`;
  if (feature === 'sig_sources') return `exploit signals from ${value} source(s)`;
  if (feature.startsWith('vendor_')) return describeVendor(ctx);
  if (feature === 'epss' || feature === 'epss_percentile') {
    const epss = ctx.scores.context.epss;
    if (!epss) return 'no EPSS score as of this date';
    const score = epss.score[ctx.cve] ?? Number.NaN;
    const pct = epss.percentile[ctx.cve] ?? Number.NaN;
    return `EPSS ${score.toFixed(2)} (${(pct * 100).toFixed(1)}th percentile) as of ${fromDay(epss.day)}`;
  }
  if (feature === 'cvss_AV')
    return missing ? 'no CVSS attack vector' : `CVSS attack vector: ${AV[value] ?? value}`;
  if (feature === 'cvss_missing') return value ? 'no CVSS score known' : 'has a CVSS score';
  if (feature.startsWith('cvss_'))
    return missing ? `no CVSS ${feature.slice(5)}` : `CVSS ${feature.slice(5)}: ${value}`;
  if (feature === 'age_days') return `published ${value} days ago`;
  if (feature.startsWith('text_') || feature.startsWith('word_')) {
    const word = feature.slice(5).replaceAll('_', ' ');
    return value ? `description mentions "${word}"` : `description does not mention "${word}"`;
  }
  if (feature.startsWith('cwe_')) return describeCwe(feature, value, missing);
  if (feature.startsWith('ssvc_'))
    return missing ? 'no CISA SSVC assessment yet' : `CISA SSVC ${feature.slice(5)}: ${value ? 'yes' : 'no'}`;
  if (feature.startsWith('ref_')) return `${value} ${feature.slice(4).replaceAll('_', ' ')} reference(s)`;
  return `${feature} = ${missing ? 'unknown' : value}`;
}

function describeVendor(ctx: DescribeContext): string {
  const top = getTopVendor(ctx.history, ctx.scores.context, ctx.cve);
  if (!top) return 'vendor unknown';
  const name = ctx.history.vendorNames.get(top.vendor) ?? ctx.history.strings[top.vendor] ?? '?';
  return `vendor ${name}: ${top.count} of its CVEs are in KEV (${top.lastYear} added in the last year)`;
}

function describeCwe(feature: string, value: number, missing: boolean): string {
  // A CVE without a known weakness type has no CWE counts: NaN, not zero.
  if (missing && (feature === 'cwe_kev_count' || feature === 'cwe_kev_rate'))
    return 'no weakness type (CWE) known';
  if (feature === 'cwe_kev_count') return `its weakness type (CWE) has ${value} CVEs in KEV`;
  if (feature === 'cwe_kev_rate') return `its CWE's KEV rate is ${(value * 100).toFixed(2)}%`;
  return value ? `weakness CWE-${feature.slice(4)}` : `not CWE-${feature.slice(4)}`;
}
