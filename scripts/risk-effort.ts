/**
 * Figure 1 of src/risk/readme.md: remediation effort to cover the CVEs CISA adds to KEV after a day
 * T, in patchcast's vulnerability-level risk order vs "sort by CVSS" and "KEV first, then CVSS".
 *
 *   npx tsx scripts/risk-effort.ts [--data ../shared/data] [--as-of 2025-06-01] [--horizon 30]
 *
 * Population: every CVE published on or before T and not in KEV on T. Targets: those added to KEV
 * after T (up to the data's end). Only facts dated ≤ T are used: the exploit model is trained as of T
 * (labels known by T), exploit maturity from signals ≤ T, CVSS and SSVC as usable at T; no EPSS (the
 * data has no full EPSS file before 2026-01-30). Ties in an order count at their expected position.
 */
import { parseArgs } from 'node:util';
import { getPopulation } from '../src/predict/features/index.js';
import { CVSS_COMPONENTS, SIGNAL_SOURCES } from '../src/predict/history/types.js';
import {
  fromDay,
  loadHistory,
  makeAsOfContext,
  scoreAsOf,
  toDay,
  trainExploitModel,
} from '../src/predict/index.js';
import { makeContext } from '../src/risk/score/__fixtures__/contexts.js';
import { DEFAULT_RISK_WEIGHTS, scoreFinding } from '../src/risk/score/index.js';
import type { VulnerabilityContext } from '../src/risk/types.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    'as-of': { type: 'string', default: '2025-06-01' },
    horizon: { type: 'string', default: '30' },
  },
});
const T = toDay(args['as-of']);
const history = await loadHistory(args.data);
const population = getPopulation(history, makeAsOfContext(history, T));
const targets = new Set(history.kev.filter((k) => k.addedDay > T).map((k) => k.cve));
const inPopulation = [...population].filter((c) => targets.has(c)).length;
console.error(
  `T ${fromDay(T)}: ${population.length} CVEs not in KEV; ${inPopulation} of them added to KEV by ${fromDay(history.lastDay)}`,
);

const started = Date.now();
const artifact = trainExploitModel(history, { asOf: T, horizon: Number(args.horizon), epss: false });
console.error(`model trained as of ${fromDay(T)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
const model = scoreAsOf(history, artifact, T, population).probabilities;

const idx = (name: (typeof CVSS_COMPONENTS)[number]) => CVSS_COMPONENTS.indexOf(name);
const WEAPONIZED = new Set([SIGNAL_SOURCES.indexOf('metasploit'), SIGNAL_SOURCES.indexOf('nuclei')]);

/** What scoring knows of a CVE at T, without asset context. */
function getVulnerability(cve: number, probability: number | undefined): VulnerabilityContext {
  const v: VulnerabilityContext = { exploitMaturity: 'none', exploitSignals: [] };
  if (probability !== undefined) v.modelProbability = probability;
  const facts = history.facts[cve];
  const published = history.published[cve] ?? Number.NaN;
  const cvss = facts?.cvss.find((c) => (Number.isNaN(c.from) ? !(published > T) : c.from <= T));
  if (cvss) {
    v.cvssScore = cvss.score;
    const at = (k: (typeof CVSS_COMPONENTS)[number]) => cvss.components[idx(k)] ?? Number.NaN;
    const ui = cvss.version === 2 ? 1 : at('UI');
    const automatable = at('AV') === 3 && at('AC') === 1 && at('PR') === 2 && ui === 1;
    const c = at('C');
    const i = at('I');
    const total = (c === 2 && i === 2) || (at('PR') === 2 && ((c === 2 && i >= 1) || (i === 2 && c >= 1)));
    v.ssvc = { automatable: automatable ? 'yes' : 'no', technicalImpact: total ? 'total' : 'partial' };
  }
  const ssvc = facts?.ssvc;
  if (ssvc && ssvc.day <= T) {
    v.ssvc = { ...v.ssvc };
    if (!Number.isNaN(ssvc.automatable)) v.ssvc.automatable = ssvc.automatable === 1 ? 'yes' : 'no';
    if (!Number.isNaN(ssvc.technicalImpact))
      v.ssvc.technicalImpact = ssvc.technicalImpact === 1 ? 'total' : 'partial';
  }
  const signals = history.signals.get(cve) ?? [];
  signals.forEach((days, source) => {
    if (!days.length || (days[0] ?? Number.POSITIVE_INFINITY) > T) return;
    const level = WEAPONIZED.has(source) ? 'weaponized' : 'poc';
    if (v.exploitMaturity !== 'weaponized') v.exploitMaturity = level;
  });
  return v;
}

const asOf = new Date(`${fromDay(T)}T00:00:00Z`);
const reference = makeContext(
  {},
  { criticality: 'medium', environment: 'production', internetExposed: false },
);
const score = (cve: number, p: number | undefined, weights = DEFAULT_RISK_WEIGHTS) =>
  scoreFinding({ ...reference, vulnerability: getVulnerability(cve, p) }, weights, asOf).risk;
const noMaturity = { ...DEFAULT_RISK_WEIGHTS, exploitMaturity: 0 };

const cvssOf = (cve: number) => getVulnerability(cve, undefined).cvssScore ?? -1;
const orders: Array<[string, Float64Array]> = [
  [
    'patchcast risk (model → CVSS prior; maturity; technical impact)',
    Float64Array.from(population, (c, k) => score(c, model[k])),
  ],
  [
    'patchcast risk without the model (CVSS prior; maturity; technical impact)',
    Float64Array.from(population, (c) => score(c, undefined)),
  ],
  [
    'patchcast risk with risk.weights.exploitMaturity 0',
    Float64Array.from(population, (c, k) => score(c, model[k], noMaturity)),
  ],
  ['exploit model alone', model],
  ['CVSS (v3/v4 else v2; missing last)', Float64Array.from(population, cvssOf)],
  ['KEV first, then CVSS (= CVSS here: none is in KEV at T)', Float64Array.from(population, cvssOf)],
];

/** Expected number of CVEs remediated, in descending score order with random tie order, to cover each share. */
function getEffort(scores: Float64Array, shares: readonly number[]): number[] {
  const groups = new Map<number, { size: number; hits: number }>();
  population.forEach((cve, k) => {
    const key = scores[k] ?? -1;
    const g = groups.get(key) ?? { size: 0, hits: 0 };
    g.size++;
    if (targets.has(cve)) g.hits++;
    groups.set(key, g);
  });
  const total = inPopulation;
  const out: number[] = [];
  let before = 0;
  let covered = 0;
  const sorted = [...groups].sort((a, b) => b[0] - a[0]);
  for (const share of shares) {
    const need = Math.ceil(share * total);
    before = 0;
    covered = 0;
    for (const [, g] of sorted) {
      if (covered + g.hits >= need) {
        const j = need - covered; // the j-th target of this group: expected position j·(size+1)/(hits+1)
        out.push(before + (j * (g.size + 1)) / (g.hits + 1));
        break;
      }
      covered += g.hits;
      before += g.size;
    }
  }
  return out;
}

const shares = [0.5, 0.9, 1] as const;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${((100 * n) / population.length).toFixed(1)}%`;
console.log(`| order | 50% covered | 90% covered | 100% covered |`);
console.log(`|---|---|---|---|`);
for (const [name, scores] of orders) {
  const e = getEffort(scores, shares);
  console.log(`| ${name} | ${e.map((x) => `${fmt(x)} (${pct(x)})`).join(' | ')} |`);
}
const random = shares.map(
  (s) => (Math.ceil(s * inPopulation) * (population.length + 1)) / (inPopulation + 1),
);
console.log(`| random order (expected) | ${random.map((x) => `${fmt(x)} (${pct(x)})`).join(' | ')} |`);
console.log(
  `\nT = ${fromDay(T)}; ${population.length.toLocaleString('en-US')} CVEs published by T and not in KEV on T; ${inPopulation} of them added to KEV from ${fromDay(T + 1)} to ${fromDay(history.lastDay)}. Model: ${artifact.card.version}, trained as of T.`,
);
