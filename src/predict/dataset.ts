import {
  type Encoders,
  type FeatureExtractor,
  getLabels,
  getPopulation,
  learnVocabulary,
  makeAsOfContext,
  makeFeatureExtractor,
} from './features/index.js';
import { makeRandom } from './gbdt/random.js';
import type { TrainingSet } from './gbdt/types.js';
import { type History, toDay } from './history/index.js';

/** Which (CVE, as-of day) pairs to train on. */
export interface DatasetOptions {
  /** As-of days to stack; each must satisfy day + horizon ≤ the cut-off so labels are known. */
  asOfDays: readonly number[];
  /** Label window H in days: positive = added to KEV in (T, T + H]. */
  horizon: number;
  /** Share of negatives kept per as-of day; kept negatives get weight 1 / rate. */
  negativeRate: number;
  seed: number;
}

/** Sampled rows (before features): one per (CVE, as-of day). */
export interface SampledRows {
  cves: Int32Array;
  days: Float64Array;
  labels: Uint8Array;
  weights: Float64Array;
}

/** Monthly as-of days (the 1st of each month) from `from` while day + horizon ≤ `until`. */
export function getMonthlyAsOfDays(from: string, until: number, horizon: number): number[] {
  const out: number[] = [];
  const start = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  for (let m = 0; ; m++) {
    const date = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1));
    const day = toDay(date.toISOString());
    if (day + horizon > until) return out;
    out.push(day);
  }
}

/**
 * For each as-of day: the population (published ≤ T, not in KEV at T), every positive kept and a
 * seeded sample of negatives weighted up so weighted totals match the population.
 */
export function sampleRows(history: History, options: DatasetOptions): SampledRows {
  const random = makeRandom(options.seed);
  const cves: number[] = [];
  const days: number[] = [];
  const labels: number[] = [];
  const weights: number[] = [];
  for (const day of options.asOfDays) {
    const population = getPopulation(history, makeAsOfContext(history, day));
    const positive = getLabels(history, day, options.horizon);
    for (const cve of population) {
      const label = positive[cve] ?? 0;
      if (!label && random() >= options.negativeRate) continue;
      cves.push(cve);
      days.push(day);
      labels.push(label);
      weights.push(label ? 1 : 1 / options.negativeRate);
    }
  }
  return {
    cves: Int32Array.from(cves),
    days: Float64Array.from(days),
    labels: Uint8Array.from(labels),
    weights: Float64Array.from(weights),
  };
}

/** Computes the features of sampled rows (one context per as-of day) into a TrainingSet. */
export function featurizeRows(history: History, rows: SampledRows, extractor: FeatureExtractor): TrainingSet {
  const width = extractor.names.length;
  const features = new Float64Array(rows.cves.length * width);
  let context = makeAsOfContext(history, rows.days[0] ?? 0);
  for (let r = 0; r < rows.cves.length; r++) {
    const day = rows.days[r] ?? 0;
    if (context.day !== day) context = makeAsOfContext(history, day);
    extractor.write(context, rows.cves[r] ?? 0, features, r * width);
  }
  return {
    features,
    rows: rows.cves.length,
    featureNames: extractor.names,
    labels: rows.labels,
    weights: rows.weights,
  };
}

/** Keeps the rows whose as-of day satisfies `keep`. */
export function filterRows(rows: SampledRows, keep: (day: number) => boolean): SampledRows {
  const index: number[] = [];
  for (let r = 0; r < rows.days.length; r++) if (keep(rows.days[r] ?? 0)) index.push(r);
  return {
    cves: Int32Array.from(index, (r) => rows.cves[r] ?? 0),
    days: Float64Array.from(index, (r) => rows.days[r] ?? 0),
    labels: Uint8Array.from(index, (r) => rows.labels[r] ?? 0),
    weights: Float64Array.from(index, (r) => rows.weights[r] ?? 1),
  };
}

/**
 * The stacked training set: sample rows, learn the vocabulary on these rows only, featurise.
 * Returns the encoders so the same features can be computed at scoring time.
 */
export function buildTrainingSet(
  history: History,
  options: DatasetOptions & { epss: boolean },
): { set: TrainingSet; rows: SampledRows; encoders: Encoders } {
  const rows = sampleRows(history, options);
  const encoders: Encoders = { vocabulary: learnVocabulary(history, rows) };
  const set = featurizeRows(history, rows, makeFeatureExtractor(history, encoders, options.epss));
  return { set, rows, encoders };
}
