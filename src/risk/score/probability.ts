/** The probability of exploitation a risk starts from, and how it is explained. */
import type { ExploitEstimate, ExploitSource, FindingContext } from '../types.js';
import { getCvssPrior } from './levels.js';

/**
 * The probability of exploitation the score starts from. For a CVE in the exploit model's population
 * (published, not in KEV) it is max(model on EPSS's scale, EPSS). The model forecasts a KEV listing,
 * a far rarer event than EPSS's exploitation activity, so its raw probability is put on EPSS's scale
 * first (the EPSS score at the CVE's model rank in the day's population): the model's ranking then
 * counts as much as EPSS's, and EPSS still wins where exploitation is seen but a KEV listing is
 * unlikely (old CVEs, products outside federal use). Backtested in src/risk/readme.md: on KEV
 * additions this keeps most of the model's lead over EPSS, where max(raw model, EPSS) ranked like
 * EPSS. Without a scale for the day (too few EPSS scores) the raw model probability takes its place.
 * Outside the population (a KEV-listed CVE: the KEV factor carries it) EPSS, else the CVSS prior.
 */
export function getExploitProbability(v: FindingContext['vulnerability']): {
  value: number;
  source: ExploitSource;
} {
  const model = v.modelOnEpssScale ?? v.modelProbability;
  if (model !== undefined && !(v.epss && v.epss.score > model)) return { value: model, source: 'model' };
  if (v.epss) return { value: v.epss.score, source: 'epss' };
  return { value: getCvssPrior(v).probability, source: 'cvss-prior' };
}

/**
 * The exploit probability a finding's risk used, with its source, horizon and day, and EPSS beside
 * it (the `exploit` of a finding's explanation). EPSS and the CVSS prior (a mean EPSS) are 30-day
 * forecasts.
 */
export function getExploitEstimate(v: FindingContext['vulnerability'], asOf: Date): ExploitEstimate {
  const { value, source } = getExploitProbability(v);
  const day = asOf.toISOString().slice(0, 10);
  return {
    probability: value,
    source,
    horizonDays: source === 'model' ? (v.modelHorizonDays ?? EPSS_HORIZON_DAYS) : EPSS_HORIZON_DAYS,
    asOf: source === 'model' ? (v.modelAsOf ?? day) : source === 'epss' && v.epss ? v.epss.date : day,
    epss: v.epss ? { score: v.epss.score, date: v.epss.date } : null,
    model:
      v.modelProbability === undefined
        ? null
        : {
            probability: v.modelProbability,
            onEpssScale: v.modelOnEpssScale ?? null,
            asOf: v.modelAsOf ?? day,
          },
  };
}

/** EPSS forecasts exploitation activity in the next 30 days (FIRST). */
const EPSS_HORIZON_DAYS = 30;
