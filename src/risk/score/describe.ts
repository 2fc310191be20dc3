/** The plain words of each contribution (the numbers are added by whoever prints them). */
import type { Asset, ExploitEstimate, ExploitSource, VulnerabilityContext } from '../types.js';
import { getCvssPrior } from './levels.js';
import { getEnvironmentKind } from './ssvc.js';

/** A probability as a percentage with sensible precision: 0.42%, 13.6%. */
export function formatPercent(p: number): string {
  const pct = p * 100;
  return `${pct >= 10 ? pct.toFixed(0) : pct >= 1 ? pct.toFixed(1) : pct.toFixed(2)}%`;
}

/** The words of the exploit-probability term: the source used, with the other estimate beside it. */
export function describeProbability(v: VulnerabilityContext, source: ExploitSource): string {
  const epss = v.epss ? `EPSS ${v.epss.score.toFixed(3)} on ${v.epss.date}` : 'no EPSS';
  if (source === 'model' && v.modelProbability !== undefined) {
    const kev = `${formatPercent(v.modelProbability)} chance of a CISA KEV listing within ${v.modelHorizonDays ?? 30} days`;
    if (v.modelOnEpssScale === undefined) return `exploit model: ${kev} (${epss})`;
    return `exploit model: ${formatPercent(v.modelOnEpssScale)} on EPSS's scale, the EPSS score at its rank (${kev}; ${epss})`;
  }
  if (source === 'epss' && v.epss) {
    const pct =
      v.epss.percentile === undefined ? '' : `, ${(v.epss.percentile * 100).toFixed(0)}th percentile`;
    const model =
      v.modelProbability === undefined
        ? ''
        : `; above the exploit model's ${formatPercent(v.modelOnEpssScale ?? v.modelProbability)}${v.modelOnEpssScale === undefined ? '' : " on EPSS's scale"}`;
    return `${epss}${pct}${model}`;
  }
  const prior = getCvssPrior(v);
  const what =
    v.cvssScore === undefined
      ? v.severity
        ? `severity ${v.severity.toLowerCase()}`
        : 'no CVSS'
      : `CVSS ${v.cvssScore}`;
  return `no model or EPSS score: ${formatPercent(prior.probability)}, the mean EPSS of CVEs with ${what}`;
}

/**
 * "1.2% from the exploit model (a CISA KEV listing within 30 days, as of 2026-03-01); EPSS 0.004 on
 * 2026-01-30": the probability a risk used, its source, and the other estimate beside it.
 */
export function formatExploit(e: ExploitEstimate): string {
  const epss = e.epss ? `EPSS ${e.epss.score.toFixed(3)} on ${e.epss.date}` : 'no EPSS';
  const kev = (p: number) => `${formatPercent(p)} chance of a CISA KEV listing within ${e.horizonDays} days`;
  if (e.source === 'model') {
    if (e.model?.onEpssScale == null)
      return `${formatPercent(e.probability)} from the exploit model (a CISA KEV listing within ${e.horizonDays} days, as of ${e.asOf}); ${epss}`;
    return `${formatPercent(e.probability)} from the exploit model on EPSS's scale (its rank as of ${e.asOf}; ${kev(e.model.probability)}); ${epss}`;
  }
  const model = e.model
    ? e.model.onEpssScale === null
      ? `; exploit model ${formatPercent(e.model.probability)}`
      : `; exploit model ${formatPercent(e.model.onEpssScale)} on EPSS's scale (${kev(e.model.probability)})`
    : '';
  if (e.source === 'epss') return `${formatPercent(e.probability)} from ${epss}${model}`;
  return `${formatPercent(e.probability)} from the CVSS prior (no model score, no EPSS)`;
}

/** The source column of a findings table: "model 1.2%", "epss 87.8%", "prior 13.6%". */
export function formatExploitShort(e: ExploitEstimate): string {
  const name = e.source === 'cvss-prior' ? 'prior' : e.source;
  return `${name} ${formatPercent(e.probability)}`;
}

export function describeKev(kev: NonNullable<VulnerabilityContext['kev']>): string {
  const due = kev.dueDate ? ` (federal due date ${kev.dueDate.slice(0, 10)})` : '';
  return `listed in CISA KEV since ${kev.dateAdded.slice(0, 10)}${due}`;
}

const MATURITY_WORDS = {
  none: 'no public exploit',
  poc: 'public proof of concept',
  weaponized: 'weaponized exploit',
  active: 'exploitation in the wild reported',
} as const;

const RANK = { poc: 1, weaponized: 2, active: 3 } as const;

/** "weaponized exploit: metasploit since 2018-03-20, exploitdb since 2018-03-15" (most mature first). */
export function describeMaturity(v: VulnerabilityContext): string {
  const first = new Map<string, { day: string; rank: number }>();
  for (const s of v.exploitSignals) {
    const day = s.seenAt.slice(0, 10);
    const rank = s.maturity ? RANK[s.maturity] : 1;
    const seen = first.get(s.source);
    if (!seen || day < seen.day) first.set(s.source, { day, rank: Math.max(rank, seen?.rank ?? 0) });
  }
  const sources = [...first]
    .sort((a, b) => b[1].rank - a[1].rank || a[1].day.localeCompare(b[1].day) || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([source, { day }]) => `${source} since ${day}`);
  const words = MATURITY_WORDS[v.exploitMaturity];
  return sources.length ? `${words}: ${sources.join(', ')}` : words;
}

export function describeCriticality(asset: Asset): string {
  const c = asset.criticality ?? 'medium';
  return c === 'critical' ? 'critical asset' : `${c}-criticality asset`;
}

export function describeEnvironment(asset: Asset): string {
  const kind = getEnvironmentKind(asset.environment);
  return `${asset.environment ?? kind} environment (${kind}: less of the asset's criticality counts)`;
}

export function describeData(asset: Asset): string {
  return `holds ${asset.dataClassification ?? 'internal'} data`;
}

export function describeDrift(changed: number): string {
  return `${changed} package${changed === 1 ? '' : 's'} changed since the baseline`;
}

/** Words of the `in-use` term, from the agent's scan of the files running processes map. */
export function describeInUse(inUse: boolean): string {
  return inUse ? 'in use: a running process maps its files' : 'not in use: no running process maps its files';
}

export function describeControls(controls: readonly string[]): string {
  return `compensating control${controls.length === 1 ? '' : 's'}: ${controls.join('; ')}`;
}

/** "+0.31 listed in CISA KEV since 2026-01-12": a contribution as the CLI prints it. */
export function formatContribution(c: { value: number; text: string }, digits = 3): string {
  const sign = c.value < 0 ? '−' : '+';
  return `${sign}${Math.abs(c.value).toFixed(digits)} ${c.text}`;
}
