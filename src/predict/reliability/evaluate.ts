/**
 * Metrics for the reliability prior: ranking (AUPRC, ROC-AUC) against the base rate, and
 * calibration (Brier, expected calibration error) where the scores are probabilities.
 */
import {
  averagePrecision,
  brierScore,
  expectedCalibrationError,
  type Numbers,
  rocAuc,
} from '../gbdt/index.js';

/** One line of a metrics table. `null` where a metric does not apply. */
export interface MetricsRow {
  scorer: string;
  rows: number;
  positives: number;
  baseRate: number;
  /** Average precision (AUPRC); a random ranking scores the base rate. */
  averagePrecision: number;
  rocAuc: number;
  /** AUPRC divided by the base rate. */
  lift: number;
  brier: number | null;
  ece: number | null;
  /** Mean predicted probability (compare with the base rate), when the scores are probabilities. */
  meanPredicted: number | null;
}

/** Computes a metrics row; `probabilities` says whether Brier/ECE are meaningful for the scores. */
export function getMetrics(
  scorer: string,
  scores: Numbers,
  labels: Numbers,
  probabilities: boolean,
): MetricsRow {
  let positives = 0;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    positives += labels[i]!;
    sum += scores[i]!;
  }
  const baseRate = labels.length ? positives / labels.length : Number.NaN;
  const ap = averagePrecision(scores, labels);
  return {
    scorer,
    rows: labels.length,
    positives,
    baseRate,
    averagePrecision: ap,
    rocAuc: rocAuc(scores, labels),
    lift: ap / baseRate,
    brier: probabilities ? brierScore(scores, labels) : null,
    // Ten equal-width bins are all but empty above 0.2 at a 3 % base rate; 20 bins keep detail low down.
    ece: probabilities ? expectedCalibrationError(scores, labels, undefined, 20) : null,
    meanPredicted: probabilities && labels.length ? sum / labels.length : null,
  };
}

/** Rounds a metrics row for printing: counts as they are, rates to 3 or 4 decimals. */
export function formatMetricsRow(row: MetricsRow): Record<string, string | number> {
  const f = (v: number | null, digits = 3) => (v === null || Number.isNaN(v) ? '-' : v.toFixed(digits));
  return {
    scorer: row.scorer,
    rows: row.rows,
    positives: row.positives,
    base_rate: f(row.baseRate, 4),
    auprc: f(row.averagePrecision),
    lift: f(row.lift, 2),
    roc_auc: f(row.rocAuc),
    brier: f(row.brier, 4),
    ece: f(row.ece, 4),
    mean_p: f(row.meanPredicted, 4),
  };
}
