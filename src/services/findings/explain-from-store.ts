/**
 * `patchcast explain CVE-…` from the store: the CVE's exploit forecast and its top factors, from a
 * History restricted to what its features need (history-for-cve.ts), so it takes seconds and little
 * memory however large the store. A CVE already in KEV is outside the model's population: it is
 * reported as listed (since when, ransomware use) instead of scored.
 */
import { PatchcastError } from '../../core/errors.js';
import {
  type ExploitModelArtifact,
  explainCve,
  type Factor,
  fromDay,
  mapOntoEpssScale,
  scoreAsOf,
  toDay,
} from '../../predict/index.js';
import {
  listFeedStates,
  loadEpssAsOfBatch,
  loadExploitScoresAsOf,
  loadKevAsOf,
  loadLastScoreDay,
  type Store,
} from '../../store/index.js';
import { loadCurrentExploitModel } from '../model/exploit-model-registry.js';
import { loadHistoryForCve } from './history-for-cve.js';

/** A CVE's forecast as `patchcast explain` shows it. */
export interface CveForecast {
  cve: string;
  asOf: string;
  model: string;
  horizonDays: number;
  /** Set when the CVE is in CISA KEV on the day: the model does not score it. */
  kev: { since: string; ransomware: boolean; dueDate: string | null } | null;
  /** P(a KEV listing within the horizon); null for a KEV CVE. */
  probability: number | null;
  /** Percentile within the population, from the day's stored scores (null when not stored). */
  percentile: number | null;
  /** The probability on EPSS's scale (what risk scoring compares with EPSS); null without the model's scale. */
  onEpssScale: number | null;
  /** Published on or before the day and not in KEV. */
  inPopulation: boolean;
  factors: Factor[];
  epss: { score: number; date: string } | null;
}

/** Options of `explainCveFromStore`. */
export interface ExplainFromStoreOptions {
  now: Date;
  /** Day number; default: the day of the stored scores when the current model wrote them, else the day after the data. */
  day?: number;
  top?: number;
  /** A model file's artifact instead of the store's current model. */
  artifact?: ExploitModelArtifact;
}

/** Explains one CVE's forecast from the store; INPUT_NOT_FOUND when the store has no record of it. */
export async function explainCveFromStore(
  store: Pick<Store, 'db'>,
  cve: string,
  options: ExplainFromStoreOptions,
): Promise<CveForecast> {
  const artifact = options.artifact ?? (await loadCurrentExploitModel(store.db, options.now)).artifact;
  const version = artifact.card.version;
  const last = await loadLastScoreDay(store.db);
  const storedDay = last?.modelVersion === version ? toDay(last.day) : undefined;
  const kevDay = fromDay(options.day ?? storedDay ?? toDay(options.now.toISOString()));
  const kev = (await loadKevAsOf(store.db, [cve], kevDay)).get(cve);
  if (kev)
    return getListed(store, cve, kev, { asOf: kevDay, model: version, horizonDays: artifact.horizonDays });
  const history = await loadHistoryForCve(store.db, cve);
  const index = history?.indexOf.get(cve);
  if (!history || index === undefined)
    throw new PatchcastError('INPUT_NOT_FOUND', `${cve} is not in the store`, {
      hint: 'Check the CVE id, or sync the CVE records first (`patchcast sync cve`, or `sync --offline DIR`).',
    });
  const dataEnd = Math.max(history.lastDay, await loadNewestModelFeedDay(store));
  const day = options.day ?? storedDay ?? Math.min(toDay(options.now.toISOString()), dataEnd + 1);
  const asOf = fromDay(day);
  const base = { cve, asOf, model: version, horizonDays: artifact.horizonDays };
  const epss = await loadEpssOn(store, cve, asOf);
  const scores = scoreAsOf(history, artifact, day, Int32Array.of(index));
  const explained = explainCve(history, artifact, cve, day, options.top ?? 5, scores);
  const stored =
    storedDay === day ? (await loadExploitScoresAsOf(store.db, asOf, { cves: [cve] })).get(cve) : undefined;
  return {
    ...base,
    kev: null,
    probability: explained?.probability ?? null,
    percentile: stored?.percentile ?? null,
    onEpssScale:
      explained && artifact.epssScale ? mapOntoEpssScale(artifact.epssScale, explained.probability) : null,
    inPopulation: (history.entered[index] ?? Number.NaN) <= day,
    factors: explained?.factors ?? [],
    epss,
  };
}

type KevRow = NonNullable<Awaited<ReturnType<typeof loadKevAsOf>> extends Map<string, infer R> ? R : never>;

/** A CVE listed in KEV on the day: reported as listed, not scored. */
async function getListed(
  store: Pick<Store, 'db'>,
  cve: string,
  kev: KevRow,
  base: Pick<CveForecast, 'asOf' | 'model' | 'horizonDays'>,
): Promise<CveForecast> {
  const listed = {
    since: kev.date_added.slice(0, 10),
    ransomware: kev.ransomware === 1,
    dueDate: kev.due_date?.slice(0, 10) ?? null,
  };
  const epss = await loadEpssOn(store, cve, base.asOf);
  return {
    cve,
    ...base,
    kev: listed,
    probability: null,
    percentile: null,
    onEpssScale: null,
    inPopulation: false,
    factors: [],
    epss,
  };
}

/** The sources the model reads. */
const MODEL_FEEDS = new Set([
  'cve',
  'nvd',
  'kev',
  'epss',
  'exploits',
  'exploitdb',
  'metasploit',
  'nuclei',
  'poc-in-github',
  'vulnrichment',
]);

/**
 * The newest record day of the feeds the model reads: the restricted History ends where its own
 * facts end, the full one where the store's data ends (the day the stored forecast is made).
 */
async function loadNewestModelFeedDay(store: Pick<Store, 'db'>): Promise<number> {
  let newest = Number.NEGATIVE_INFINITY;
  for (const state of await listFeedStates(store.db))
    if (MODEL_FEEDS.has(state.source) && state.newest) newest = Math.max(newest, toDay(state.newest));
  return newest;
}

async function loadEpssOn(store: Pick<Store, 'db'>, cve: string, asOf: string): Promise<CveForecast['epss']> {
  const row = (await loadEpssAsOfBatch(store.db, [cve], asOf)).get(cve);
  return row ? { score: Number(row.score), date: row.score_date.slice(0, 10) } : null;
}

/** 12.3%, 0.42%, 0.0061%: two significant digits below 1%. */
function formatSmallPercent(p: number): string {
  const pct = p * 100;
  return `${pct >= 1 ? pct.toFixed(1) : pct.toPrecision(2)}%`;
}

/** The lines `patchcast explain CVE-…` prints. */
export function formatCveForecast(f: CveForecast): string[] {
  const epss = f.epss ? `EPSS ${f.epss.score.toFixed(3)} on ${f.epss.date}` : 'no EPSS';
  if (f.kev) {
    const ransomware = f.kev.ransomware ? 'known' : 'unknown';
    return [
      `${f.cve} is in CISA KEV since ${f.kev.since}, ransomware use: ${ransomware}${f.kev.dueDate ? `, federal due date ${f.kev.dueDate}` : ''} (${epss}).`,
      `  The exploit model forecasts KEV listings, so it does not score listed CVEs: in risk, the KEV factor carries ${f.cve}.`,
    ];
  }
  const where = !f.inPopulation
    ? 'not yet published on this day: outside the scored population'
    : f.percentile === null
      ? 'percentile not stored for this day'
      : `${f.percentile.toFixed(1)}th percentile`;
  const p = f.probability === null ? 'unknown' : formatSmallPercent(f.probability);
  const scaled =
    f.onEpssScale === null
      ? ''
      : `; ${formatSmallPercent(f.onEpssScale)} on EPSS's scale (the EPSS score at its rank)`;
  return [
    `${f.cve} as of ${f.asOf}: P(added to KEV within ${f.horizonDays} days) = ${p} (${where})${scaled}; ${epss}; model ${f.model}`,
    ...f.factors.map(
      (factor) =>
        `  ${factor.contribution >= 0 ? '↑' : '↓'} ${factor.text}  (${factor.contribution >= 0 ? '+' : ''}${factor.contribution.toFixed(2)} log-odds)`,
    ),
  ];
}
