import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictRaw } from './predict.js';
import { makeRandom, type Random } from './random.js';
import { explainMatrix, explainRow } from './shap.js';
import { makeSyntheticSet } from './synthetic.js';
import { trainGbdt } from './train.js';
import type { GbdtModel, Tree } from './types.js';

/** Root: x0 < 2 (NaN right) → leaf −1 | node 2: x1 < 0 (NaN left) → leaf 0.5 | leaf 2. */
const HAND_MODEL: GbdtModel = JSON.parse(
  readFileSync(new URL('./__fixtures__/hand-model.json', import.meta.url), 'utf8'),
);

/** E[tree(x) | the features in `known` fixed to x]: unknown features average children by cover. */
function conditionalExpectation(tree: Tree, x: readonly number[], known: number, node = 0): number {
  const f = tree.feature[node]!;
  if (f < 0) return tree.value[node]!;
  const l = tree.left[node]!;
  const r = tree.right[node]!;
  if (known & (1 << f)) {
    const v = x[f]!;
    const goLeft = Number.isNaN(v) ? tree.missingLeft[node] : v < tree.threshold[node]!;
    return conditionalExpectation(tree, x, known, goLeft ? l : r);
  }
  const total = tree.cover[l]! + tree.cover[r]!;
  return (
    (tree.cover[l]! / total) * conditionalExpectation(tree, x, known, l) +
    (tree.cover[r]! / total) * conditionalExpectation(tree, x, known, r)
  );
}

/** Shapley values by enumerating every subset: φᵢ = Σ_S |S|!(M−|S|−1)!/M! · (v(S∪i) − v(S)). */
function bruteForceShap(model: GbdtModel, x: readonly number[]): { base: number; phi: number[] } {
  const m = model.featureNames.length;
  const value = (known: number) =>
    model.trees.reduce((s, t) => s + conditionalExpectation(t, x, known), model.baseScore);
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(m).fill(0);
  for (let mask = 0; mask < 1 << m; mask++) {
    const size = popcount(mask);
    const share = (factorial(size) * factorial(m - size - 1)) / factorial(m);
    for (let i = 0; i < m; i++) {
      if (mask & (1 << i)) continue;
      phi[i]! += share * (value(mask | (1 << i)) - value(mask));
    }
  }
  return { base: value(0), phi };
}

function popcount(n: number): number {
  let c = 0;
  for (let k = n; k; k &= k - 1) c++;
  return c;
}

/** A random tree over `m` features (features may repeat on a path) with additive covers. */
function randomTree(random: Random, m: number, maxDepth: number): Tree {
  const t: Tree = { feature: [], threshold: [], missingLeft: [], left: [], right: [], value: [], cover: [] };
  const grow = (depth: number): number => {
    const id = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(Math.floor(random() * 3) - 1);
    t.missingLeft.push(random() < 0.5);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(Math.round((random() * 4 - 2) * 100) / 100);
    t.cover.push(1 + Math.floor(random() * 20));
    if (depth < maxDepth && random() < 0.8) {
      t.feature[id] = Math.floor(random() * m);
      t.left[id] = grow(depth + 1);
      t.right[id] = grow(depth + 1);
      t.cover[id] = t.cover[t.left[id]!]! + t.cover[t.right[id]!]!;
    }
    return id;
  };
  grow(0);
  return t;
}

function randomModel(seed: number): { model: GbdtModel; x: number[] } {
  const random = makeRandom(seed);
  const m = 1 + Math.floor(random() * 6);
  const trees = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
    randomTree(random, m, 1 + Math.floor(random() * 5)),
  );
  const choices = [-1.5, -0.5, 0.5, 1.5, Number.NaN];
  const x = Array.from({ length: m }, () => choices[Math.floor(random() * choices.length)]!);
  const featureNames = Array.from({ length: m }, (_, i) => `f${i}`);
  return { model: { kind: 'gbdt-binary', featureNames, baseScore: random() - 0.5, trees }, x };
}

function expectExact(model: GbdtModel, x: number[]): void {
  const fast = explainRow(model, x);
  const slow = bruteForceShap(model, x);
  expect(Math.abs(fast.base - slow.base)).toBeLessThan(1e-9);
  for (const [i, p] of slow.phi.entries()) expect(Math.abs(fast.contributions[i]! - p)).toBeLessThan(1e-9);
  const sum = fast.contributions.reduce((s, c) => s + c, fast.base);
  expect(Math.abs(sum - predictRaw(model, x))).toBeLessThan(1e-9);
}

describe('explainRow (TreeSHAP)', () => {
  it('gives a stump the hand-computed attribution', () => {
    // Covers 30 | 10, values −1 | 3: E[f] = 0.75·(−1) + 0.25·3 = 0; a left row gets φ₀ = −1.
    const stump: GbdtModel = {
      kind: 'gbdt-binary',
      featureNames: ['a', 'b'],
      baseScore: 0,
      trees: [
        {
          feature: [0, -1, -1],
          threshold: [1, 0, 0],
          missingLeft: [true, false, false],
          left: [1, -1, -1],
          right: [2, -1, -1],
          value: [0, -1, 3],
          cover: [40, 30, 10],
        },
      ],
    };
    const e = explainRow(stump, [0, 99]);
    expect(e.base).toBe(0);
    expect([...e.contributions]).toEqual([-1, 0]);
  });

  it('matches brute-force Shapley values on a hand-built two-feature tree', () => {
    expectExact(HAND_MODEL, [1, 5]);
    expectExact(HAND_MODEL, [3, Number.NaN]);
  });

  it('matches brute-force Shapley values on random small models (repeated features, NaNs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const { model, x } = randomModel(seed);
        expectExact(model, x);
      }),
      { numRuns: 300 },
    );
  });

  it('matches brute force on a trained model with six features', () => {
    const set = makeSyntheticSet(1500, 6, 11);
    const params = { rounds: 15, learningRate: 0.3, maxDepth: 5, minChildWeight: 1, lambda: 1, maxBins: 32 };
    const { model } = trainGbdt(set, { ...params, subsample: 0.8, colsample: 0.8, seed: 1 });
    for (let r = 0; r < 20; r++) expectExact(model, [...set.features.subarray(r * 6, r * 6 + 6)]);
  });

  it('sums to the raw score on a larger trained model, row by row and as a matrix', () => {
    const set = makeSyntheticSet(3000, 24, 12);
    const params = { rounds: 60, learningRate: 0.1, maxDepth: 6, minChildWeight: 1, lambda: 1, maxBins: 255 };
    const { model } = trainGbdt(set, { ...params, subsample: 0.8, colsample: 0.7, seed: 2 });
    const rows = 200;
    const { base, contributions } = explainMatrix(model, set.features.subarray(0, rows * 24), rows);
    for (let r = 0; r < rows; r++) {
      const x = set.features.subarray(r * 24, (r + 1) * 24);
      const sum = contributions.subarray(r * 24, (r + 1) * 24).reduce((s, c) => s + c, base);
      expect(Math.abs(sum - predictRaw(model, x))).toBeLessThan(1e-9);
    }
  });
});
