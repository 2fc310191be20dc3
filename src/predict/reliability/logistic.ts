/**
 * L2-regularised logistic regression, the linear challenger to the trees. Each feature is mapped
 * through sign(x)·log(1 + |x|) (counts are heavy-tailed), standardised on the training rows, and a
 * missing value becomes 0 (the training mean) plus a 0/1 "missing" column. Fitted by Newton's
 * method (iteratively reweighted least squares) with a Cholesky solve; plain JSON out.
 */
import { PatchcastError } from '../../core/errors.js';
import { sigmoid } from '../gbdt/index.js';

/** A fitted logistic model; `contributions` of a row add up to its log-odds minus `intercept`. */
export interface LogisticModel {
  kind: 'logistic';
  featureNames: string[];
  center: number[];
  scale: number[];
  coef: number[];
  /** Indices of features that had missing values at training, each with its own coefficient. */
  missingFeatures: number[];
  missingCoef: number[];
  intercept: number;
}

/** Training rows for `fitLogistic` (row-major features, 0/1 labels). */
export interface LogisticData {
  features: Float64Array;
  rows: number;
  featureNames: readonly string[];
  labels: Uint8Array;
}

const squash = (v: number) => Math.sign(v) * Math.log1p(Math.abs(v));

/** Per-feature contributions to the log-odds (a missing value's goes to its feature). */
export function explainLogistic(model: LogisticModel, x: ArrayLike<number>): number[] {
  const out = model.coef.map((c, j) => {
    const v = x[j]!;
    return Number.isNaN(v) ? 0 : (c * (squash(v) - model.center[j]!)) / model.scale[j]!;
  });
  for (const [k, j] of model.missingFeatures.entries()) {
    if (Number.isNaN(x[j]!)) out[j] = out[j]! + model.missingCoef[k]!;
  }
  return out;
}

/** Probability of a row in the model's feature order. */
export function predictLogistic(model: LogisticModel, x: ArrayLike<number>): number {
  let z = model.intercept;
  for (const c of explainLogistic(model, x)) z += c;
  return sigmoid(z);
}

/** The design matrix: standardised features, then missing indicators, then the intercept's 1. */
function design(model: Omit<LogisticModel, 'coef' | 'missingCoef' | 'intercept'>, x: ArrayLike<number>) {
  const row: number[] = [];
  for (let j = 0; j < model.center.length; j++) {
    const v = x[j]!;
    row.push(Number.isNaN(v) ? 0 : (squash(v) - model.center[j]!) / model.scale[j]!);
  }
  for (const j of model.missingFeatures) row.push(Number.isNaN(x[j]!) ? 1 : 0);
  row.push(1);
  return row;
}

/** Fits the model with penalty `lambda` × ‖w‖² / 2 on every weight but the intercept. */
export function fitLogistic(data: LogisticData, lambda: number): LogisticModel {
  const width = data.featureNames.length;
  const rowOf = (i: number) => data.features.subarray(i * width, (i + 1) * width);
  const layout = getLayout(data, width, rowOf);
  const X = Array.from({ length: data.rows }, (_, i) => design(layout, rowOf(i)));
  const d = layout.center.length + layout.missingFeatures.length + 1;
  const w = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const grad = w.map((wj, j) => (j < d - 1 ? lambda * wj : 0));
    const hess = Array.from({ length: d }, (_, a) =>
      Array.from({ length: d }, (_, b) => (a === b && a < d - 1 ? lambda : a === b ? 1e-9 : 0)),
    );
    for (const [i, row] of X.entries()) {
      const p = sigmoid(row.reduce((s, v, j) => s + v * w[j]!, 0));
      const r = p - data.labels[i]!;
      const h = Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a < d; a++) {
        if (row[a] === 0) continue;
        grad[a]! += r * row[a]!;
        for (let b = 0; b <= a; b++) hess[a]![b]! += h * row[a]! * row[b]!;
      }
    }
    const step = solveCholesky(hess, grad);
    let size = 0;
    for (let j = 0; j < d; j++) {
      w[j]! -= step[j]!;
      size = Math.max(size, Math.abs(step[j]!));
    }
    if (size < 1e-8) break;
  }
  return {
    ...layout,
    coef: w.slice(0, width),
    missingCoef: w.slice(width, d - 1),
    intercept: w[d - 1]!,
  };
}

function getLayout(data: LogisticData, width: number, rowOf: (i: number) => Float64Array) {
  const center: number[] = [];
  const scale: number[] = [];
  const missingFeatures: number[] = [];
  for (let j = 0; j < width; j++) {
    const values: number[] = [];
    for (let i = 0; i < data.rows; i++) {
      const v = rowOf(i)[j]!;
      if (!Number.isNaN(v)) values.push(squash(v));
    }
    if (values.length < data.rows) missingFeatures.push(j);
    const mean = values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0;
    const variance = values.length ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length : 0;
    center.push(mean);
    // A constant feature keeps scale 1 and gets a zero coefficient from the penalty.
    scale.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  return { kind: 'logistic' as const, featureNames: [...data.featureNames], center, scale, missingFeatures };
}

/** Solves H·x = g for a symmetric positive-definite H given by its lower triangle. */
function solveCholesky(H: number[][], g: number[]): number[] {
  const n = g.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(s > 0))
          throw new PatchcastError('INTERNAL', 'logistic regression: Hessian not positive definite');
        L[i]![i] = Math.sqrt(s);
      } else L[i]![j] = s / L[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k]![i]! * x[k]!;
    x[i] = s / L[i]![i]!;
  }
  return x;
}
