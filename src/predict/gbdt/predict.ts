/**
 * Scoring with a fitted model: raw log-odds, probabilities, and whole matrices. A row goes left at a
 * node when `x[feature] < threshold`; a missing value (NaN) goes where the node's `missingLeft` says.
 */
import { PatchcastError } from '../../core/errors.js';
import { sigmoid } from './loss.js';
import type { GbdtModel, Tree } from './types.js';

/** A row of features: the model's `featureNames` order, NaN for missing. */
export type FeatureRow = Float64Array | readonly number[];

/** The leaf a row reaches in one tree; the row's features start at `offset` in `x`. */
export function findLeaf(tree: Tree, x: ArrayLike<number>, offset = 0): number {
  const { feature, threshold, missingLeft, left, right } = tree;
  let n = 0;
  while (feature[n]! >= 0) {
    const v = x[offset + feature[n]!]!;
    const goLeft = Number.isNaN(v) ? missingLeft[n] : v < threshold[n]!;
    n = goLeft ? left[n]! : right[n]!;
  }
  return n;
}

/** Raw score (log-odds) of one row: the base score plus every tree's leaf value. */
export function predictRaw(model: GbdtModel, x: FeatureRow): number {
  checkWidth(model, x.length, 1);
  return rawAt(model, x, 0);
}

/** Probability of the positive class for one row: sigmoid of `predictRaw`. */
export function predictProba(model: GbdtModel, x: FeatureRow): number {
  return sigmoid(predictRaw(model, x));
}

/**
 * Raw scores of every row of a row-major matrix (rows × the model's features). Pass
 * `{ proba: true }` for probabilities instead.
 */
export function predictMatrix(
  model: GbdtModel,
  features: Float64Array,
  rows: number,
  options: { proba?: boolean } = {},
): Float64Array {
  checkWidth(model, features.length, rows);
  const width = model.featureNames.length;
  const out = new Float64Array(rows);
  // Row by row: a row's features stay in cache while every tree reads them (≈5× faster than tree
  // by tree on wide rows), and each score sums in the same order as predictRaw.
  for (let r = 0; r < rows; r++) {
    const raw = rawAt(model, features, r * width);
    out[r] = options.proba ? sigmoid(raw) : raw;
  }
  return out;
}

function rawAt(model: GbdtModel, x: ArrayLike<number>, offset: number): number {
  let s = model.baseScore;
  for (const tree of model.trees) s += tree.value[findLeaf(tree, x, offset)]!;
  return s;
}

function checkWidth(model: GbdtModel, length: number, rows: number): void {
  const width = model.featureNames.length;
  if (length !== width * rows) {
    throw new PatchcastError(
      'INPUT_INVALID',
      `features: expected ${rows} × ${width} = ${rows * width} values (the model's featureNames), got ${length}`,
      { details: { expected: rows * width, got: length } },
    );
  }
}
