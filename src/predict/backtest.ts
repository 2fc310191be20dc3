import { BASELINES } from './baselines.js';

import { getMonthlyAsOfDays, sampleRows } from './dataset.js';
import { mapOntoEpssScale } from './epss-scale.js';
import { getEpssScaleOf, PARAM_GRID, scoreAsOf, trainExploitModel } from './exploit-model.js';
import { type FeatureGroup, getLabels } from './features/index.js';
import {
  averagePrecision,
  brierScore,
  coverageEfficiencyAtEffort,
  expectedCalibrationError,
  type GbdtParams,
  type ReliabilityBin,
  reliabilityCurve,
  rocAuc,
} from './gbdt/index.js';
import { fromDay, type History } from './history/index.js';
import { assertLabelsKnown } from './label-window.js';

/** max(raw model, EPSS): the rule risk scoring used before the EPSS scale; it ranks like EPSS. */
const MODEL_MAX_EPSS = 'model-max-epss';
/** Risk scoring's probability: max(model on EPSS's scale, EPSS) (src/risk/score/score-finding.ts). */
const RISK_EXPLOIT = 'model-scaled-max-epss';

/** Options for `runBacktest`. */
export interface BacktestOptions {
  from: number;
  to: number;
  step: number;
  horizon: number;
  negativeRate?: number;
  seed?: number;
  paramGrid?: readonly GbdtParams[];
  /** Feature groups the trained models leave out (the snapshot-only ablation). */
  without?: readonly FeatureGroup[];
  /** Called after each point (progress). */
  onPoint?: (point: BacktestPoint, index: number, total: number) => void;
}

/** Metrics of one scorer on one population. */
export interface Metrics {
  averagePrecision: number;
  rocAuc: number;
  /** Coverage / efficiency at effort 1, 5, 10, 15 %. */
  atEffort: Array<{ effort: number; coverage: number; efficiency: number }>;
  /** Only for probabilities (the model, EPSS). */
  brier?: number;
  ece?: number;
  reliability?: ReliabilityBin[];
}

/** One as-of day of the backtest. */
export interface BacktestPoint {
  asOf: string;
  population: number;
  positives: number;
  /** By scorer id ('model' and BASELINES ids); absent where the scorer cannot run. */
  scorers: Record<string, Metrics>;
}

/** The whole backtest. */
export interface BacktestResult {
  horizonDays: number;
  points: BacktestPoint[];
  pooled: { population: number; positives: number; scorers: Record<string, Metrics> };
  /** Scorer id → label. */
  scorerLabels: Record<string, string>;
  /** Pooled precision–recall curves for the report: scorer id → points (recall, precision). */
  prCurves: Record<string, Array<[number, number]>>;
}

export const EFFORTS = [0.01, 0.05, 0.1, 0.15];
const PROBABILISTIC = new Set(['model', 'epss']);

/**
 * For T from `from` to `to` by `step`: trains on as-of days whose horizon ended by T, scores the
 * population at T (published ≤ T, not in KEV at T), labels = KEV additions in (T, T + H].
 */
export function runBacktest(history: History, options: BacktestOptions): BacktestResult {
  const days: number[] = [];
  for (let day = options.from; day <= options.to; day += options.step) days.push(day);
  assertLabelsKnown(history, days.at(-1) ?? options.to, options.horizon, '--to');
  const allRows = sampleRows(history, {
    asOfDays: getMonthlyAsOfDays('2022-01-01', options.to, options.horizon),
    horizon: options.horizon,
    negativeRate: options.negativeRate ?? 0.01,
    seed: options.seed ?? 1,
  });
  const pooled = new Map<string, { labels: number[]; scores: number[] }>();
  const points: BacktestPoint[] = [];
  for (const [index, day] of days.entries()) {
    const point = runPoint(history, day, options, allRows, pooled);
    points.push(point);
    options.onPoint?.(point, index, days.length);
  }
  return summarize(options.horizon, points, pooled);
}

function runPoint(
  history: History,
  day: number,
  options: BacktestOptions,
  rows: ReturnType<typeof sampleRows>,
  pooled: Map<string, { labels: number[]; scores: number[] }>,
): BacktestPoint {
  const artifact = trainExploitModel(history, {
    asOf: day,
    horizon: options.horizon,
    epss: false,
    rows,
    paramGrid: options.paramGrid ?? PARAM_GRID.slice(0, 1),
    epssScale: false,
    ...(options.without?.length ? { without: options.without } : {}),
  });
  const scores = scoreAsOf(history, artifact, day);
  const allLabels = getLabels(history, day, options.horizon);
  const labels = Uint8Array.from(scores.cves, (cve) => allLabels[cve] ?? 0);
  const scorers: Record<string, Metrics> = {};
  const record = (id: string, values: Float64Array) => {
    scorers[id] = computeMetrics(labels, values, PROBABILISTIC.has(id));
    const bucket = pooled.get(id) ?? { labels: [], scores: [] };
    for (let i = 0; i < values.length; i++) {
      bucket.labels.push(labels[i] ?? 0);
      bucket.scores.push(values[i] ?? 0);
    }
    pooled.set(id, bucket);
  };
  record('model', scores.probabilities);
  for (const baseline of BASELINES) {
    const values = baseline.score(history, scores.context, scores.cves);
    if (values) record(baseline.id, values);
  }
  // What risk scoring uses in the model's population (src/risk/readme.md), where EPSS exists.
  const epss = scores.context.epss;
  if (epss) {
    const epssOf = (k: number) => epss.score[scores.cves[k] ?? 0] || 0;
    record(
      MODEL_MAX_EPSS,
      Float64Array.from(scores.probabilities, (p, k) => Math.max(p, epssOf(k))),
    );
    // The scale a model trained as of this day carries (fitEpssScale): the same population and EPSS file.
    const scale = getEpssScaleOf(scores);
    if (scale)
      record(
        RISK_EXPLOIT,
        Float64Array.from(scores.probabilities, (p, k) => Math.max(mapOntoEpssScale(scale, p), epssOf(k))),
      );
  }
  return { asOf: fromDay(day), population: labels.length, positives: countOnes(labels), scorers };
}

/** All metrics of one scorer. */
export function computeMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  probabilistic: boolean,
): Metrics {
  const metrics: Metrics = {
    averagePrecision: averagePrecision(scores, labels),
    rocAuc: rocAuc(scores, labels),
    atEffort: EFFORTS.map((effort) => {
      const { coverage, efficiency } = coverageEfficiencyAtEffort(scores, labels, effort);
      return { effort, coverage, efficiency };
    }),
  };
  if (!probabilistic) return metrics;
  return {
    ...metrics,
    brier: brierScore(scores, labels),
    ece: expectedCalibrationError(scores, labels),
    reliability: reliabilityCurve(scores, labels),
  };
}

function summarize(
  horizon: number,
  points: BacktestPoint[],
  pooled: Map<string, { labels: number[]; scores: number[] }>,
): BacktestResult {
  const scorers: Record<string, Metrics> = {};
  const prCurves: Record<string, Array<[number, number]>> = {};
  for (const [id, bucket] of pooled) {
    scorers[id] = computeMetrics(bucket.labels, bucket.scores, PROBABILISTIC.has(id));
    prCurves[id] = getPrCurve(bucket.labels, bucket.scores);
  }
  const model = pooled.get('model');
  const scorerLabels: Record<string, string> = { model: 'patchcast model' };
  for (const baseline of BASELINES) scorerLabels[baseline.id] = baseline.label;
  scorerLabels[MODEL_MAX_EPSS] = 'max(raw model, EPSS) (before)';
  scorerLabels[RISK_EXPLOIT] = "max(model on EPSS's scale, EPSS) (risk scoring)";
  return {
    horizonDays: horizon,
    points,
    pooled: { population: model?.labels.length ?? 0, positives: countOnes(model?.labels ?? []), scorers },
    scorerLabels,
    prCurves,
  };
}

/** A precision–recall curve thinned to at most ~200 points. */
export function getPrCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): Array<[number, number]> {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort(
    (a, b) => (scores[b] ?? 0) - (scores[a] ?? 0),
  );
  const positives = countOnes(labels);
  if (positives === 0) return [];
  const curve: Array<[number, number]> = [];
  let tp = 0;
  for (const [k, i] of order.entries()) {
    tp += labels[i] ? 1 : 0;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    curve.push([tp / positives, tp / (k + 1)]);
  }
  const stride = Math.max(1, Math.floor(curve.length / 200));
  return curve.filter((_, k) => k % stride === 0 || k === curve.length - 1);
}

function countOnes(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) n += values[i] ? 1 : 0;
  return n;
}
