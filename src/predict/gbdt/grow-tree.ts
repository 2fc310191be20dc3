/**
 * Grows one regression tree on gradients and hessians, depth-wise (level by level) to `maxDepth`,
 * on the binned matrix. Each node owns a contiguous range of `rows`; splitting a node partitions its
 * range in place. Only the smaller child's histogram is built from rows; the larger child's is the
 * parent's minus the smaller one's (the "subtraction trick" of LightGBM and XGBoost's `hist`).
 */
import type { BinnedMatrix } from './binned-matrix.js';
import type { BinLayout } from './binning.js';
import { buildHistogram, findBestSplit, type SplitCandidate, subtractHistogram } from './histogram.js';
import type { GbdtParams, Tree } from './types.js';

/** Everything one tree is grown from. `rows` (the sampled row indices) is reordered in place. */
export interface GrowInput {
  matrix: BinnedMatrix;
  grad: Float64Array;
  hess: Float64Array;
  rows: Uint32Array;
  /** Features this tree may split on (column subsample), ascending. */
  cols: Int32Array;
  params: Pick<GbdtParams, 'maxDepth' | 'minChildWeight' | 'lambda' | 'learningRate'>;
  pool: HistogramPool;
  /** Scratch space at least as long as `rows`. */
  scratch: Uint32Array;
}

/** A grown tree, plus the split bin per node (−1 at leaves) to route binned rows exactly. */
export interface GrownTree {
  tree: Tree;
  splitBin: number[];
}

/** Reusable zeroed histograms, so a tree allocates nothing per node once warm. */
export interface HistogramPool {
  size: number;
  free: Float64Array[];
}

interface PendingNode {
  id: number;
  start: number;
  end: number;
  grad: number;
  hess: number;
  hist: Float64Array;
}

/** Makes a pool of histograms for `layout` (gradient and hessian per bin). */
export function makeHistogramPool(layout: BinLayout): HistogramPool {
  return { size: layout.totalBins * 2, free: [] };
}

function takeHistogram(pool: HistogramPool): Float64Array {
  const hist = pool.free.pop();
  if (!hist) return new Float64Array(pool.size);
  hist.fill(0);
  return hist;
}

/** Grows a tree; leaf value = −G/(H+λ) × learningRate, cover = H. */
export function growTree(input: GrowInput): GrownTree {
  const { rows, grad, hess, params } = input;
  const grown: GrownTree = { tree: emptyTree(), splitBin: [] };
  let G = 0;
  let H = 0;
  for (const r of rows) {
    G += grad[r]!;
    H += hess[r]!;
  }
  const root = addNode(grown, G, H, params);
  if (params.maxDepth < 1 || rows.length < 2) return grown;
  const hist = takeHistogram(input.pool);
  buildHistogram(hist, input.matrix, rows, 0, rows.length, grad, hess, input.cols);
  let level: PendingNode[] = [{ id: root, start: 0, end: rows.length, grad: G, hess: H, hist }];
  for (let depth = 1; depth <= params.maxDepth; depth++) {
    const next: PendingNode[] = [];
    for (const node of level) splitNode(input, grown, node, depth < params.maxDepth, next);
    level = next;
  }
  return grown;
}

/** Splits `node` if a split helps; queues its children (with histograms) when they may split again. */
function splitNode(
  input: GrowInput,
  grown: GrownTree,
  node: PendingNode,
  childrenMaySplit: boolean,
  next: PendingNode[],
): void {
  const { params, pool } = input;
  const query = {
    grad: node.grad,
    hess: node.hess,
    lambda: params.lambda,
    minChildWeight: params.minChildWeight,
  };
  const split = findBestSplit(node.hist, input.matrix.layout, input.cols, query);
  if (!split) {
    pool.free.push(node.hist);
    return;
  }
  const mid = partitionRows(input, node.start, node.end, split);
  const left = addNode(grown, split.gradLeft, split.hessLeft, params);
  const right = addNode(grown, split.gradRight, split.hessRight, params);
  setSplit(grown, node.id, split, input.matrix.layout, left, right);
  if (!childrenMaySplit) {
    pool.free.push(node.hist);
    return;
  }
  const leftSmaller = mid - node.start <= node.end - mid;
  const small = takeHistogram(pool);
  const [from, to] = leftSmaller ? [node.start, mid] : [mid, node.end];
  buildHistogram(small, input.matrix, input.rows, from, to, input.grad, input.hess, input.cols);
  subtractHistogram(node.hist, small);
  const leftHist = leftSmaller ? small : node.hist;
  const rightHist = leftSmaller ? node.hist : small;
  next.push({
    id: left,
    start: node.start,
    end: mid,
    grad: split.gradLeft,
    hess: split.hessLeft,
    hist: leftHist,
  });
  next.push({
    id: right,
    start: mid,
    end: node.end,
    grad: split.gradRight,
    hess: split.hessRight,
    hist: rightHist,
  });
}

/**
 * Stable in-place partition of `rows[start..end)`: left-going rows first. Returns the boundary.
 * Branch-free (a 0/1 table per bin decides), since a split sends rows either way unpredictably.
 */
function partitionRows(input: GrowInput, start: number, end: number, split: SplitCandidate): number {
  const { rows, scratch, matrix } = input;
  const goesLeft = new Uint8Array(256);
  goesLeft[0] = split.missingLeft ? 1 : 0;
  goesLeft.fill(1, 1, split.bin + 1);
  // The node's rows are ascending (the partition is stable), so this walks one column forward.
  const column = matrix.byColumn.subarray(split.feature * matrix.rows, (split.feature + 1) * matrix.rows);
  let l = start;
  let k = 0;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const left = goesLeft[column[r]!]!;
    rows[l] = r;
    scratch[k] = r;
    l += left;
    k += 1 - left;
  }
  rows.set(scratch.subarray(0, k), l);
  return l;
}

function emptyTree(): Tree {
  return { feature: [], threshold: [], missingLeft: [], left: [], right: [], value: [], cover: [] };
}

/** Appends a leaf; every node keeps the value it would have as a leaf (internal ones are informative). */
function addNode(grown: GrownTree, G: number, H: number, params: GrowInput['params']): number {
  const t = grown.tree;
  t.feature.push(-1);
  t.threshold.push(0);
  t.missingLeft.push(false);
  t.left.push(-1);
  t.right.push(-1);
  t.value.push((-G / (H + params.lambda)) * params.learningRate);
  t.cover.push(H);
  grown.splitBin.push(-1);
  return t.feature.length - 1;
}

function setSplit(
  grown: GrownTree,
  id: number,
  split: SplitCandidate,
  layout: BinLayout,
  l: number,
  r: number,
): void {
  const t = grown.tree;
  const cuts = layout.cuts[split.feature]!;
  t.feature[id] = split.feature;
  // Past the last cut every present value goes left: a "missing or not" split.
  t.threshold[id] = split.bin - 1 < cuts.length ? cuts[split.bin - 1]! : Number.MAX_VALUE;
  t.missingLeft[id] = split.missingLeft;
  t.left[id] = l;
  t.right[id] = r;
  grown.splitBin[id] = split.bin;
}

/** Adds a grown tree's leaf values to `scores` for every row of the binned matrix. */
export function addTreeToScores(scores: Float64Array, matrix: BinnedMatrix, grown: GrownTree): void {
  const { feature, left, right, missingLeft, value } = grown.tree;
  const { splitBin } = grown;
  const { byColumn, rows } = matrix;
  for (let r = 0; r < rows; r++) {
    let n = 0;
    while (feature[n]! >= 0) {
      const b = byColumn[feature[n]! * rows + r]!;
      n = (b === 0 ? missingLeft[n] : b <= splitBin[n]!) ? left[n]! : right[n]!;
    }
    scores[r]! += value[n]!;
  }
}
