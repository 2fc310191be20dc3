/**
 * How well probabilities match observed rates: reliability curve, expected calibration error
 * (Naeini et al. 2015, equal-width bins) and Brier score, all with optional sample weights.
 */
import { checkInputs } from './calibrate.js';
import type { Numbers } from './metrics.js';

/** One bin of a reliability curve. */
export interface ReliabilityBin {
  /** The bin's probability range [lower, upper). The last bin includes 1. */
  lower: number;
  upper: number;
  /** Weighted mean predicted probability in the bin. */
  meanPredicted: number;
  /** Weighted share of positives in the bin. */
  observedRate: number;
  /** Sum of weights, and number of items, in the bin. */
  weight: number;
  count: number;
}

/** Equal-width bins over [0, 1]; empty bins are left out. */
export function reliabilityCurve(
  probs: Numbers,
  labels: Numbers,
  weights?: Numbers,
  bins = 10,
): ReliabilityBin[] {
  checkInputs(probs, labels, weights);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const sumW = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    const w = weights ? weights[i]! : 1;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    sumP[b]! += w * p;
    sumY[b]! += w * labels[i]!;
    sumW[b]! += w;
    count[b]!++;
  }
  const curve: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (!(sumW[b]! > 0)) continue;
    curve.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      meanPredicted: sumP[b]! / sumW[b]!,
      observedRate: sumY[b]! / sumW[b]!,
      weight: sumW[b]!,
      count: count[b]!,
    });
  }
  return curve;
}

/**
 * Expected calibration error: Σ over bins of (bin weight / total weight) × |mean predicted −
 * observed rate|. 0 is perfect. NaN for an empty input.
 */
export function expectedCalibrationError(
  probs: Numbers,
  labels: Numbers,
  weights?: Numbers,
  bins = 10,
): number {
  const curve = reliabilityCurve(probs, labels, weights, bins);
  let total = 0;
  let gap = 0;
  for (const bin of curve) {
    total += bin.weight;
    gap += bin.weight * Math.abs(bin.meanPredicted - bin.observedRate);
  }
  return total > 0 ? gap / total : Number.NaN;
}

/** Brier score: weighted mean of (p − y)². NaN for an empty input. */
export function brierScore(probs: Numbers, labels: Numbers, weights?: Numbers): number {
  checkInputs(probs, labels, weights);
  let sum = 0;
  let total = 0;
  for (let i = 0; i < probs.length; i++) {
    const w = weights ? weights[i]! : 1;
    const d = probs[i]! - labels[i]!;
    sum += w * d * d;
    total += w;
  }
  return total > 0 ? sum / total : Number.NaN;
}
