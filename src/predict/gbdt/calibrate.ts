/**
 * Probability calibration, fitted on held-out predictions (never on the rows the trees were fitted
 * on): isotonic regression by pool-adjacent-violators (Zadrozny & Elkan 2002; Barlow et al. 1972),
 * or Platt scaling (Platt 1999), a logistic fit on the log-odds of the prediction.
 */
import { PatchcastError } from '../../core/errors.js';
import { logit, sigmoid, softplus } from './loss.js';
import type { Numbers } from './metrics.js';

/** A fitted calibration map from a model probability to a calibrated one; plain JSON. */
export type Calibrator =
  | {
      kind: 'isotonic';
      /** Ascending knots (model probabilities); each pooled block contributes its first and last. */
      x: number[];
      /** Calibrated probability at each knot (non-decreasing); linear between, constant outside. */
      y: number[];
    }
  | {
      kind: 'platt';
      /** Calibrated = sigmoid(a · logit(p) + b). */
      a: number;
      b: number;
    };

/** Maps a model probability through a calibrator. */
export function applyCalibration(cal: Calibrator, p: number): number {
  if (cal.kind === 'platt') return sigmoid(cal.a * logit(p) + cal.b);
  const { x, y } = cal;
  if (!(p > x[0]!)) return y[0]!;
  const last = x.length - 1;
  if (p >= x[last]!) return y[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const span = x[hi]! - x[lo]!;
  return span > 0 ? y[lo]! + ((y[hi]! - y[lo]!) * (p - x[lo]!)) / span : y[hi]!;
}

interface Block {
  value: number;
  weight: number;
  xMin: number;
  xMax: number;
}

/** Fits the non-decreasing step map that minimises weighted squared error to the labels (PAV). */
export function fitIsotonic(probs: Numbers, labels: Numbers, weights?: Numbers): Calibrator {
  const blocks: Block[] = [];
  for (const point of pointsByProbability(probs, labels, weights)) {
    blocks.push(point);
    // Pool while the newest block breaks the order: the pooled value is the weighted mean.
    while (blocks.length > 1 && blocks[blocks.length - 2]!.value > blocks[blocks.length - 1]!.value) {
      const b = blocks.pop()!;
      const a = blocks[blocks.length - 1]!;
      a.value = (a.value * a.weight + b.value * b.weight) / (a.weight + b.weight);
      a.weight += b.weight;
      a.xMax = b.xMax;
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  for (const b of blocks) {
    x.push(b.xMin);
    y.push(b.value);
    if (b.xMax > b.xMin) {
      x.push(b.xMax);
      y.push(b.value);
    }
  }
  return { kind: 'isotonic', x, y };
}

/** Points with positive weight, sorted by probability, equal probabilities merged into one. */
function pointsByProbability(probs: Numbers, labels: Numbers, weights?: Numbers): Block[] {
  checkInputs(probs, labels, weights);
  const order = Array.from({ length: probs.length }, (_, i) => i)
    .filter((i) => !weights || weights[i]! > 0)
    .sort((a, b) => probs[a]! - probs[b]!);
  if (order.length === 0)
    throw new PatchcastError('INPUT_INVALID', 'calibration needs at least one weighted point');
  const points: Block[] = [];
  for (const i of order) {
    const p = probs[i]!;
    const w = weights ? weights[i]! : 1;
    const last = points[points.length - 1];
    if (last && last.xMin === p) {
      last.value = (last.value * last.weight + labels[i]! * w) / (last.weight + w);
      last.weight += w;
    } else points.push({ value: labels[i]!, weight: w, xMin: p, xMax: p });
  }
  return points;
}

/**
 * Fits Platt scaling by Newton's method with step halving on the weighted log-loss, using Platt's
 * smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2) so a small or separable set does not overfit.
 */
export function fitPlatt(probs: Numbers, labels: Numbers, weights?: Numbers): Calibrator {
  checkInputs(probs, labels, weights);
  const n = probs.length;
  const f = new Float64Array(n);
  const w = new Float64Array(n);
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < n; i++) {
    f[i] = logit(probs[i]!);
    w[i] = weights ? weights[i]! : 1;
    if (labels[i] === 1) nPos += w[i]!;
    else nNeg += w[i]!;
  }
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const t = Float64Array.from(labels, (y) => (y === 1 ? hi : lo));
  let a = 1;
  let b = 0;
  let loss = plattLoss(f, t, w, a, b);
  for (let iter = 0; iter < 100; iter++) {
    const [da, db] = newtonStep(f, t, w, a, b);
    let step = 1;
    while (step > 1e-10 && plattLoss(f, t, w, a - step * da, b - step * db) > loss) step /= 2;
    if (step <= 1e-10) break;
    a -= step * da;
    b -= step * db;
    const next = plattLoss(f, t, w, a, b);
    const done = loss - next < 1e-12 * Math.max(1, Math.abs(loss));
    loss = next;
    if (done) break;
  }
  return { kind: 'platt', a, b };
}

/** Σ wᵢ·[softplus(zᵢ) − tᵢ·zᵢ] with zᵢ = a·fᵢ + b: the cross-entropy against soft targets. */
function plattLoss(f: Float64Array, t: Float64Array, w: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < f.length; i++) {
    const z = a * f[i]! + b;
    sum += w[i]! * (softplus(z) - t[i]! * z);
  }
  return sum;
}

/** The Newton direction H⁻¹∇ for (a, b), with a tiny ridge so a flat Hessian stays invertible. */
function newtonStep(
  f: Float64Array,
  t: Float64Array,
  w: Float64Array,
  a: number,
  b: number,
): [number, number] {
  let ga = 0;
  let gb = 0;
  let haa = 1e-12;
  let hab = 0;
  let hbb = 1e-12;
  for (let i = 0; i < f.length; i++) {
    const p = sigmoid(a * f[i]! + b);
    const r = w[i]! * (p - t[i]!);
    const h = w[i]! * p * (1 - p);
    ga += r * f[i]!;
    gb += r;
    haa += h * f[i]! * f[i]!;
    hab += h * f[i]!;
    hbb += h;
  }
  const det = haa * hbb - hab * hab;
  return [(hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det];
}

/** Throws INPUT_INVALID unless probabilities are in [0, 1], labels 0/1 and lengths agree. */
export function checkInputs(probs: Numbers, labels: Numbers, weights?: Numbers): void {
  if (labels.length !== probs.length || (weights && weights.length !== probs.length)) {
    throw new PatchcastError(
      'INPUT_INVALID',
      `probabilities (${probs.length}), labels and weights differ in length`,
    );
  }
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1))
      throw new PatchcastError('INPUT_INVALID', `probabilities: item ${i} is ${p}, not in [0, 1]`);
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new PatchcastError('INPUT_INVALID', `labels: item ${i} is not 0 or 1`);
  }
}
