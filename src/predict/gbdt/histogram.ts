/**
 * Gradient histograms and split finding. A packed histogram holds, for every bin of every feature,
 * the sum of gradients and of hessians of a node's rows, interleaved: `[g, h, g, h, …]`, feature f's
 * bins starting at `layout.offsets[f]`.
 */
import type { BinnedMatrix } from './binned-matrix.js';
import type { BinLayout } from './binning.js';

/** The best split of a node found in its histogram. */
export interface SplitCandidate {
  feature: number;
  /** Value bins `1..bin` go left; the raw threshold is `cuts[feature][bin - 1]` (or above every value). */
  bin: number;
  /** Where missing values go. When the node had none, the side with more hessian (cover). */
  missingLeft: boolean;
  /** Reduction of the regularised loss: G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (XGBoost's, without ½, γ). */
  gain: number;
  gradLeft: number;
  hessLeft: number;
  gradRight: number;
  hessRight: number;
}

/** What split finding needs to know about a node and the regularisation. */
export interface SplitQuery {
  grad: number;
  hess: number;
  lambda: number;
  minChildWeight: number;
}

/**
 * Adds the rows `rows[start..end)` to `hist` (which must be zeroed) for the features in `cols`.
 * This is most of training time, so it reads typed arrays only, row by row: a row's bins are
 * contiguous, so even a deep node's scattered rows read whole cache lines.
 */
export function buildHistogram(
  hist: Float64Array,
  matrix: BinnedMatrix,
  rows: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  cols: Int32Array,
): void {
  // Gathering a column subsample costs about twice as much per cell as the unrolled full row, so
  // for half the columns or more it is cheaper to fill every feature and ignore the unchosen ones.
  if (cols.length * 2 >= matrix.nFeatures) addAllFeatures(hist, matrix, rows, start, end, grad, hess);
  else addSomeFeatures(hist, matrix, rows, start, end, grad, hess, cols);
}

/** Hot loop over every feature of each row, unrolled by four (≈1.3 ns per cell against ≈2.7 rolled). */
function addAllFeatures(
  hist: Float64Array,
  matrix: BinnedMatrix,
  rows: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const { global, nFeatures } = matrix;
  const unrolled = nFeatures & ~3;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const g = grad[r]!;
    const h = hess[r]!;
    let p = r * nFeatures;
    const stop4 = p + unrolled;
    const stop = p + nFeatures;
    for (; p < stop4; p += 4) {
      const j0 = global[p]! << 1;
      const j1 = global[p + 1]! << 1;
      const j2 = global[p + 2]! << 1;
      const j3 = global[p + 3]! << 1;
      hist[j0]! += g;
      hist[j0 + 1]! += h;
      hist[j1]! += g;
      hist[j1 + 1]! += h;
      hist[j2]! += g;
      hist[j2 + 1]! += h;
      hist[j3]! += g;
      hist[j3 + 1]! += h;
    }
    for (; p < stop; p++) {
      const j = global[p]! << 1;
      hist[j]! += g;
      hist[j + 1]! += h;
    }
  }
}

/** Hot loop over a column subsample: the same, gathering the chosen features of each row. */
function addSomeFeatures(
  hist: Float64Array,
  matrix: BinnedMatrix,
  rows: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  cols: Int32Array,
): void {
  const { global, nFeatures } = matrix;
  const nCols = cols.length;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const base = r * nFeatures;
    for (let k = 0; k < nCols; k++) {
      const j = global[base + cols[k]!]! << 1;
      hist[j]! += g;
      hist[j + 1]! += h;
    }
  }
}

/** `target -= other`, element by element: a larger child's histogram from its parent's and its sibling's. */
export function subtractHistogram(target: Float64Array, other: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i]! -= other[i]!;
}

/**
 * Scans every candidate threshold of every feature in `cols`, with missing values sent left and
 * right, and returns the split of largest positive gain whose children both have at least
 * `minChildWeight` hessian; null when no split helps. Ties go to the lower feature, then lower bin.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: BinLayout,
  cols: Int32Array,
  node: SplitQuery,
): SplitCandidate | null {
  const { grad: G, hess: H, lambda } = node;
  // A child needs some hessian of its own, not just rounding noise, or its cover would be ~0.
  const minHess = Math.max(node.minChildWeight, 1e-9 * H);
  const parentScore = (G * G) / (H + lambda);
  let best: SplitCandidate | null = null;
  let bestGain = 0;
  for (const f of cols) {
    const o = layout.offsets[f]! << 1;
    const nb = layout.numBins[f]!;
    const gm = hist[o]!;
    const hm = hist[o + 1]!;
    let gl = 0;
    let hl = 0;
    for (let t = 1; t < nb; t++) {
      gl += hist[o + 2 * t]!;
      hl += hist[o + 2 * t + 1]!;
      // t = nb - 1 puts every present value left: only a split when some values are missing.
      const last = t === nb - 1;
      if (last && hm <= 0) break;
      // Missing values right (or, when the node has none, wherever the larger child is).
      const hr = H - hl;
      if (hl >= minHess && hr >= minHess) {
        const gain = (gl * gl) / (hl + lambda) + ((G - gl) * (G - gl)) / (hr + lambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          best = candidate(f, t, hm > 0 ? false : hl >= hr, gain, gl, hl, G, H);
        }
      }
      if (last || hm <= 0) continue;
      // Missing values left.
      const gl2 = gl + gm;
      const hl2 = hl + hm;
      const hr2 = H - hl2;
      if (hl2 >= minHess && hr2 >= minHess) {
        const gain = (gl2 * gl2) / (hl2 + lambda) + ((G - gl2) * (G - gl2)) / (hr2 + lambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          best = candidate(f, t, true, gain, gl2, hl2, G, H);
        }
      }
    }
  }
  return best;
}

function candidate(
  feature: number,
  bin: number,
  missingLeft: boolean,
  gain: number,
  gradLeft: number,
  hessLeft: number,
  G: number,
  H: number,
): SplitCandidate {
  return {
    feature,
    bin,
    missingLeft,
    gain,
    gradLeft,
    hessLeft,
    gradRight: G - gradLeft,
    hessRight: H - hessLeft,
  };
}
