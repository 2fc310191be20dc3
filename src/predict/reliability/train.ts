/**
 * Training the reliability prior with a temporal split. Evaluation stands on 2020-01-01: the model
 * and its number of trees are chosen, and its Platt calibration fitted, on out-of-time predictions
 * for 2015–2019 (each year predicted by a model trained on the years before it); the chosen recipe
 * is refitted on everything up to 2019-12-31 and tested on 2020–2022. 2023-01..03 stays out of the
 * headline because the data ends on 2023-04-01 and those labels are censored. The shipped model
 * repeats the recipe with out-of-time years 2015–2022 and training rows up to 2022-12-31.
 */
import { applyCalibration, type Calibrator, fitPlatt, type TrainingSet } from '../gbdt/index.js';
import { fromDay, toDay } from '../history/index.js';
import type { Advisory } from './advisories.js';
import { getMetrics, type MetricsRow } from './evaluate.js';
import { buildFeatureTable, FEATURE_NAMES, type FeatureName, type FeatureTable } from './features.js';
import {
  CANDIDATES,
  fitScorer,
  predictRows,
  type ReliabilityScorer,
  ROUND_GRID,
  type ScorerSpec,
  truncateScorer,
} from './scorer.js';

/** The split: out-of-time validation years, then a test period (inclusive ISO dates). */
export interface SplitPlan {
  validYears: number[];
  testFrom: string;
  testTo: string;
}

export const EVALUATION_PLAN: SplitPlan = {
  validYears: [2015, 2016, 2017, 2018, 2019],
  testFrom: '2020-01-01',
  testTo: '2022-12-31',
};

/** The shipped model: out-of-time years for choice-free calibration, training rows up to `trainTo`. */
export const SHIPPING_PLAN = {
  validYears: [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022],
  trainTo: '2022-12-31',
};

const WIDTH = FEATURE_NAMES.length;

/** Indices of the advisories dated in [from, to] (day numbers). */
function rowsBetween(table: FeatureTable, from: number, to: number): number[] {
  const out: number[] = [];
  for (const [i, a] of table.advisories.entries()) if (a.day >= from && a.day <= to) out.push(i);
  return out;
}

/**
 * The label as it was known on `cutoff`: the advisory was followed by a regression update dated
 * before the cutoff. Training never learns from breakages that came to light later.
 */
export function getKnownLabel(advisory: Advisory, cutoff: number): 0 | 1 {
  return advisory.followedByRegression && advisory.regressionDay < cutoff ? 1 : 0;
}

function makeSet(table: FeatureTable, indices: readonly number[], cutoff: number): TrainingSet {
  const features = new Float64Array(indices.length * WIDTH);
  for (const [k, i] of indices.entries()) {
    features.set(table.features.subarray(i * WIDTH, (i + 1) * WIDTH), k * WIDTH);
  }
  const labels = Uint8Array.from(indices, (i) => getKnownLabel(table.advisories[i]!, cutoff));
  return { features, rows: indices.length, featureNames: FEATURE_NAMES, labels };
}

/** One candidate (and tree count) on the pooled out-of-time years. */
export interface CandidateResult {
  name: string;
  kind: ScorerSpec['kind'];
  rounds: number | null;
  validation: MetricsRow;
}

/** A fitted, calibrated recipe, ready to score or to save. */
export interface FittedRecipe {
  spec: ScorerSpec;
  scorer: ReliabilityScorer;
  calibrator: Calibrator;
  rounds: number | null;
}

const dayOf = (year: number) => toDay(`${year}-01-01`);
const firstDayOf = (spec: ScorerSpec) => (spec.trainFrom ? toDay(spec.trainFrom) : Number.NEGATIVE_INFINITY);

/** Pooled predictions for the validation years, per tree count (`null` for a logistic model). */
interface OutOfTime {
  labels: number[];
  byRounds: Map<number | null, number[]>;
}

/** Predicts each validation year with a model trained on the years before it. */
function getOutOfTime(
  table: FeatureTable,
  spec: ScorerSpec,
  years: readonly number[],
  cutoff: number,
  only?: number | null,
): OutOfTime {
  const out: OutOfTime = { labels: [], byRounds: new Map() };
  const grid = spec.kind === 'logistic' ? [null] : only !== undefined ? [only] : [...ROUND_GRID];
  for (const year of years) {
    const train = makeSet(table, rowsBetween(table, firstDayOf(spec), dayOf(year) - 1), cutoff);
    const validRows = rowsBetween(table, dayOf(year), dayOf(year + 1) - 1);
    const scorer = fitScorer(spec, train, grid[grid.length - 1] ?? undefined).scorer;
    for (const i of validRows) out.labels.push(getKnownLabel(table.advisories[i]!, cutoff));
    for (const rounds of grid) {
      const list = out.byRounds.get(rounds) ?? [];
      list.push(...predictRows(truncateScorer(scorer, rounds), table.features, WIDTH, validRows));
      out.byRounds.set(rounds, list);
    }
  }
  return out;
}

/** Refits a spec on the rows up to `trainTo` and attaches a Platt map fitted on out-of-time predictions. */
function fitRecipe(
  table: FeatureTable,
  spec: ScorerSpec,
  rounds: number | null,
  oot: number[],
  ootLabels: number[],
  trainTo: number,
  cutoff: number,
): FittedRecipe {
  const train = makeSet(table, rowsBetween(table, firstDayOf(spec), trainTo), cutoff);
  const scorer = fitScorer(spec, train, rounds ?? undefined).scorer;
  return { spec, scorer, rounds, calibrator: fitPlatt(oot, ootLabels) };
}

/** Calibrated probabilities of a recipe for some rows of the table. */
export function predictRecipe(
  recipe: FittedRecipe,
  table: FeatureTable,
  indices: readonly number[],
): number[] {
  const raw = predictRows(recipe.scorer, table.features, WIDTH, indices);
  return Array.from(raw, (p) => applyCalibration(recipe.calibrator, p));
}

/** What the temporal evaluation found. */
export interface EvaluationReport {
  plan: SplitPlan & { dataFrom: string; dataTo: string };
  /** Every candidate and tree count on the pooled validation years (uncalibrated). */
  candidates: CandidateResult[];
  chosen: { name: string; rounds: number | null };
  /** Test period: base rate, heuristics, the chosen model and the best model of the other kind. */
  test: MetricsRow[];
  /** The chosen model on the test period plus the censored tail (to the data's end). */
  testWithCensoredTail: MetricsRow;
}

/** Compares the candidates out of time, refits the best one (and the best of the other kind), tests them. */
export function evaluateReliability(table: FeatureTable, candidates = CANDIDATES, plan = EVALUATION_PLAN) {
  const testFrom = toDay(plan.testFrom);
  const testTo = toDay(plan.testTo);
  const first = table.advisories[0]?.day ?? 0;
  const last = table.advisories[table.advisories.length - 1]?.day ?? 0;
  const results: CandidateResult[] = [];
  const pooled: { spec: ScorerSpec; rounds: number | null; scores: number[]; labels: number[] }[] = [];
  for (const spec of candidates) {
    const oot = getOutOfTime(table, spec, plan.validYears, testFrom);
    for (const [rounds, scores] of oot.byRounds) {
      pooled.push({ spec, rounds, scores, labels: oot.labels });
      results.push({
        name: spec.name,
        kind: spec.kind,
        rounds,
        validation: getMetrics(spec.name, scores, oot.labels, false),
      });
    }
  }
  const best = pickBest(results, () => true);
  const other = pickBest(results, (c) => c.kind !== results[best]!.kind);
  const [chosen, runnerUp] = [best, other].map((k) => {
    const p = pooled[k]!;
    return fitRecipe(table, p.spec, p.rounds, p.scores, p.labels, testFrom - 1, testFrom);
  });
  const testRows = rowsBetween(table, testFrom, testTo);
  const labels = testRows.map((i) => (table.advisories[i]!.followedByRegression ? 1 : 0));
  const column = (name: FeatureName) =>
    testRows.map((i) => table.features[i * WIDTH + FEATURE_NAMES.indexOf(name)]!);
  const trainRate = mean(makeSet(table, rowsBetween(table, first, testFrom - 1), testFrom).labels);
  const name = (r: FittedRecipe) => `${r.spec.name}${r.rounds ? ` (${r.rounds} trees)` : ''}`;
  const test = [
    getMetrics(
      'base rate (constant)',
      testRows.map(() => trainRate),
      labels,
      true,
    ),
    getMetrics('heuristic: package regression rate', column('pkg_regression_rate'), labels, true),
    getMetrics('heuristic: package prior regressions', column('pkg_prior_regressions'), labels, false),
    getMetrics(`model: ${name(chosen!)}, chosen`, predictRecipe(chosen!, table, testRows), labels, true),
    getMetrics(
      `model: ${name(runnerUp!)}, best ${runnerUp!.spec.kind}`,
      predictRecipe(runnerUp!, table, testRows),
      labels,
      true,
    ),
  ];
  const tailRows = rowsBetween(table, testFrom, last);
  const tailLabels = tailRows.map((i) => (table.advisories[i]!.followedByRegression ? 1 : 0));
  const report: EvaluationReport = {
    plan: { ...plan, dataFrom: fromDay(first), dataTo: fromDay(last) },
    candidates: results,
    chosen: { name: chosen!.spec.name, rounds: chosen!.rounds },
    test,
    testWithCensoredTail: getMetrics(
      `model: ${name(chosen!)}, ${plan.testFrom} to ${fromDay(last)}`,
      predictRecipe(chosen!, table, tailRows),
      tailLabels,
      true,
    ),
  };
  return { report, chosen: chosen! };
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : Number.NaN;
}

/** Highest pooled AUPRC among the results passing `keep` (ROC-AUC breaks ties). */
function pickBest(results: readonly CandidateResult[], keep: (c: CandidateResult) => boolean): number {
  let best = -1;
  for (const [i, c] of results.entries()) {
    if (!keep(c)) continue;
    const b = results[best]?.validation;
    const v = c.validation;
    if (
      !b ||
      v.averagePrecision > b.averagePrecision ||
      (v.averagePrecision === b.averagePrecision && v.rocAuc > b.rocAuc)
    )
      best = i;
  }
  return best;
}

/** The chosen recipe refitted for shipping (`SHIPPING_PLAN`); labels as known at the data's end. */
export function fitShippedRecipe(table: FeatureTable, spec: ScorerSpec, rounds: number | null) {
  const last = table.advisories[table.advisories.length - 1]?.day ?? 0;
  const oot = getOutOfTime(table, spec, SHIPPING_PLAN.validYears, last + 1, rounds);
  const scores = oot.byRounds.get(rounds) ?? [];
  const trainTo = toDay(SHIPPING_PLAN.trainTo);
  const recipe = fitRecipe(table, spec, rounds, scores, oot.labels, trainTo, last + 1);
  const train = makeSet(table, rowsBetween(table, firstDayOf(spec), trainTo), last + 1);
  return {
    recipe,
    training: { rows: train.rows, positives: train.labels.reduce((s, y) => s + y, 0) },
    calibration: {
      rows: oot.labels.length,
      positives: oot.labels.reduce((s, y) => s + y, 0),
      validation: getMetrics(spec.name, scores, oot.labels, false),
    },
  };
}

/** Features for every advisory (as of its day), the evaluation and the shipped recipe in one call. */
export function trainReliability(advisories: readonly Advisory[], candidates = CANDIDATES) {
  const table = buildFeatureTable(advisories);
  const { report, chosen } = evaluateReliability(table, candidates);
  const shipped = fitShippedRecipe(table, chosen.spec, chosen.rounds);
  return { table, report, shipped };
}
