/**
 * Exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for
 * tree ensembles", Algorithm 2): the Shapley values of a row's raw score, where "feature i unknown"
 * means averaging over both children of a node in proportion to their training cover. Polynomial:
 * O(leaves × depth²) per tree, by tracking, along the root-to-leaf path, the share of feature
 * subsets of each size that reach the node (EXTEND), and undoing one feature's step (UNWIND).
 */
import { PatchcastError } from '../../core/errors.js';
import type { FeatureRow } from './predict.js';
import type { GbdtModel, Tree } from './types.js';

/** A row's explanation: `base + Σ contributions = predictRaw(model, row)` (log-odds). */
export interface Explanation {
  /** The model's expected raw score (base score + every tree's cover-weighted mean leaf value). */
  base: number;
  /** One Shapley value per feature, in the model's `featureNames` order. */
  contributions: Float64Array;
}

/** The path of unique features from the root to the current node, in parallel typed arrays. */
interface PathBuffers {
  feature: Int32Array;
  /** Share of the node's cover when the feature is unknown ("zero fraction"). */
  zero: Float64Array;
  /** 1 if the row follows this way when the feature is known, else 0 ("one fraction"). */
  one: Float64Array;
  /** Permutation weight per subset size. */
  weight: Float64Array;
}

interface TreeFacts {
  depth: number;
  expected: number;
}

const facts = new WeakMap<Tree, TreeFacts>();

/** 1/i for i up to a path's length (model depth ≤ 30 is validated at training, + headroom). */
let RECIPROCALS = reciprocals(64);

function reciprocals(n: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : 1 / i));
}

/** Explains one row (model feature order, NaN for missing). */
export function explainRow(model: GbdtModel, x: FeatureRow): Explanation {
  const width = model.featureNames.length;
  if (x.length !== width) {
    throw new PatchcastError('INPUT_INVALID', `row has ${x.length} values, the model has ${width} features`);
  }
  const contributions = new Float64Array(width);
  let base = model.baseScore;
  let depth = 0;
  for (const tree of model.trees) depth = Math.max(depth, getTreeFacts(tree).depth);
  const path = makePathBuffers(depth);
  for (const tree of model.trees) {
    base += getTreeFacts(tree).expected;
    visit({ tree, x, path, phi: contributions }, 0, 0, 0, 0, 1, 1, -1);
  }
  return { base, contributions };
}

/** Room for the paths of every level of a tree of `depth`: level d holds at most d + 1 elements. */
function makePathBuffers(depth: number): PathBuffers {
  if (RECIPROCALS.length < depth + 3) RECIPROCALS = reciprocals(depth + 3);
  const size = ((depth + 2) * (depth + 3)) / 2;
  return {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
  };
}

/** Explains every row of a row-major matrix: `rows × features` contributions and the shared base. */
export function explainMatrix(
  model: GbdtModel,
  features: Float64Array,
  rows: number,
): { base: number; contributions: Float64Array } {
  const width = model.featureNames.length;
  const out = new Float64Array(rows * width);
  let base = model.baseScore;
  for (let r = 0; r < rows; r++) {
    const e = explainRow(model, features.subarray(r * width, (r + 1) * width));
    out.set(e.contributions, r * width);
    base = e.base;
  }
  return { base, contributions: out };
}

/** The share of a node's subsets that go to `child` when its feature is unknown. */
function coverShare(tree: Tree, node: number, child: number): number {
  const total = tree.cover[tree.left[node]!]! + tree.cover[tree.right[node]!]!;
  // Children's covers, not the node's own: the shares then sum to 1 even if covers were edited.
  return total > 0 ? tree.cover[child]! / total : 0.5;
}

/** Depth and cover-weighted mean leaf value of a tree, computed once per tree object. */
export function getTreeFacts(tree: Tree): TreeFacts {
  const known = facts.get(tree);
  if (known) return known;
  const walk = (node: number): TreeFacts => {
    if (tree.feature[node]! < 0) return { depth: 0, expected: tree.value[node]! };
    const l = walk(tree.left[node]!);
    const r = walk(tree.right[node]!);
    const expected =
      coverShare(tree, node, tree.left[node]!) * l.expected +
      coverShare(tree, node, tree.right[node]!) * r.expected;
    return { depth: 1 + Math.max(l.depth, r.depth), expected };
  };
  const result = walk(0);
  facts.set(tree, result);
  return result;
}

interface Visit {
  tree: Tree;
  x: FeatureRow;
  path: PathBuffers;
  phi: Float64Array;
}

/**
 * Visits `node` with the parent's path (`len` elements at `from`) copied to `start` and extended
 * by the step into this node: share `zero` of the subsets without the parent's feature, and
 * `one` (1 or 0) of those with it. At a leaf, credits each path feature its Shapley share.
 */
function visit(
  v: Visit,
  node: number,
  start: number,
  from: number,
  len: number,
  zero: number,
  one: number,
  feature: number,
): void {
  if (zero === 0 && one === 0) return;
  const { tree, path } = v;
  // Plain loops: paths are a few elements long, too short for copyWithin's call to pay off.
  for (let i = 0; i < len; i++) {
    path.feature[start + i] = path.feature[from + i]!;
    path.zero[start + i] = path.zero[from + i]!;
    path.one[start + i] = path.one[from + i]!;
    path.weight[start + i] = path.weight[from + i]!;
  }
  extendPath(path, start, len, zero, one, feature);
  const last = len;
  const split = tree.feature[node]!;
  if (split < 0) {
    const value = tree.value[node]!;
    for (let i = 1; i <= last; i++) {
      const w = unwoundPathSum(path, start, last, i);
      v.phi[path.feature[start + i]!]! += w * (path.one[start + i]! - path.zero[start + i]!) * value;
    }
    return;
  }
  const x = v.x[split]!;
  const goLeft = Number.isNaN(x) ? tree.missingLeft[node] : x < tree.threshold[node]!;
  const hot = goLeft ? tree.left[node]! : tree.right[node]!;
  const cold = goLeft ? tree.right[node]! : tree.left[node]!;
  let inZero = 1;
  let inOne = 1;
  let length = last + 1;
  // A feature already on the path: undo its earlier step and redo it here, combined with this one.
  const k = findOnPath(path, start, last, split);
  if (k > 0) {
    inZero = path.zero[start + k]!;
    inOne = path.one[start + k]!;
    unwindPath(path, start, last, k);
    length--;
  }
  const next = start + last + 1;
  visit(v, hot, next, start, length, coverShare(tree, node, hot) * inZero, inOne, split);
  visit(v, cold, next, start, length, coverShare(tree, node, cold) * inZero, 0, split);
}

function findOnPath(path: PathBuffers, start: number, last: number, feature: number): number {
  for (let i = 1; i <= last; i++) if (path.feature[start + i] === feature) return i;
  return -1;
}

/** EXTEND: appends element `len` and updates the permutation weights of every subset size. */
function extendPath(
  path: PathBuffers,
  s: number,
  len: number,
  zero: number,
  one: number,
  feature: number,
): void {
  const w = path.weight;
  path.feature[s + len] = feature;
  path.zero[s + len] = zero;
  path.one[s + len] = one;
  w[s + len] = len === 0 ? 1 : 0;
  const inv = RECIPROCALS[len + 1]!;
  for (let i = len - 1; i >= 0; i--) {
    w[s + i + 1]! += one * w[s + i]! * (i + 1) * inv;
    w[s + i] = zero * w[s + i]! * (len - i) * inv;
  }
}

/** UNWIND: removes element `k` from a path whose last index is `last` (inverse of EXTEND). */
function unwindPath(path: PathBuffers, s: number, last: number, k: number): void {
  const w = path.weight;
  const one = path.one[s + k]!;
  const zero = path.zero[s + k]!;
  let carry = w[s + last]!;
  for (let j = last - 1; j >= 0; j--) {
    if (one !== 0) {
      const kept = w[s + j]!;
      w[s + j] = (carry * (last + 1)) / ((j + 1) * one);
      carry = kept - (w[s + j]! * zero * (last - j)) / (last + 1);
    } else {
      w[s + j] = (w[s + j]! * (last + 1)) / (zero * (last - j));
    }
  }
  for (let j = k; j < last; j++) {
    path.feature[s + j] = path.feature[s + j + 1]!;
    path.zero[s + j] = path.zero[s + j + 1]!;
    path.one[s + j] = path.one[s + j + 1]!;
  }
}

/** Σ of the weights UNWIND(k) would leave, without modifying the path. */
function unwoundPathSum(path: PathBuffers, s: number, last: number, k: number): number {
  // The hot loop of TreeSHAP (leaves × depth² per tree): multiplications by table reciprocals
  // instead of divisions, which roughly halves explanation time.
  const w = path.weight;
  const one = path.one[s + k]!;
  const zero = path.zero[s + k]!;
  const n = last + 1;
  const invN = RECIPROCALS[n]!;
  let total = 0;
  if (one !== 0) {
    const scale = n / one;
    let carry = w[s + last]!;
    for (let j = last - 1; j >= 0; j--) {
      const t = carry * scale * RECIPROCALS[j + 1]!;
      total += t;
      carry = w[s + j]! - t * zero * (last - j) * invN;
    }
    return total;
  }
  const scale = n / zero;
  for (let j = last - 1; j >= 0; j--) total += w[s + j]! * scale * RECIPROCALS[last - j]!;
  return total;
}
