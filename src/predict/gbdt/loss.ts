/**
 * Binary log-loss on raw scores (log-odds): its gradient and hessian for boosting, and its weighted
 * mean for learning curves. Written with softplus so large scores neither overflow nor lose precision.
 */

/** The logistic function: log-odds → probability. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + eˣ), stable for large |x|. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Log-odds of a probability, clamped away from 0 and 1 so it stays finite. */
export function logit(p: number): number {
  const q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
  return Math.log(q / (1 - q));
}

/**
 * Fills `grad` and `hess` with the log-loss derivatives at `scores`: g = w(p − y), h = w·p(1 − p),
 * with the hessian floored so a confident row never has a zero cover.
 */
export function computeGradients(
  scores: Float64Array,
  labels: Uint8Array,
  weights: Float64Array | undefined,
  grad: Float64Array,
  hess: Float64Array,
): void {
  for (let i = 0; i < scores.length; i++) {
    const p = sigmoid(scores[i]!);
    const w = weights ? weights[i]! : 1;
    grad[i] = (p - labels[i]!) * w;
    hess[i] = Math.max(p * (1 - p), 1e-16) * w;
  }
}

/** Weighted mean log-loss of raw scores: Σ wᵢ·ℓ(yᵢ, sᵢ) / Σ wᵢ. */
export function meanLogLoss(scores: Float64Array, labels: Uint8Array, weights?: Float64Array): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const w = weights ? weights[i]! : 1;
    const s = scores[i]!;
    sum += w * (labels[i] === 1 ? softplus(-s) : softplus(s));
    total += w;
  }
  return total > 0 ? sum / total : 0;
}
