import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sigmoid } from './loss.js';
import { findLeaf, predictMatrix, predictProba, predictRaw } from './predict.js';
import type { GbdtModel } from './types.js';

/** Root: x0 < 2 (NaN right) → leaf −1 | node 2: x1 < 0 (NaN left) → leaf 0.5 | leaf 2. */
const HAND_MODEL: GbdtModel = JSON.parse(
  readFileSync(new URL('./__fixtures__/hand-model.json', import.meta.url), 'utf8'),
);

describe('predictRaw', () => {
  it.each([
    [[1, 5], 1, -0.75],
    [[2, -1], 3, 0.75],
    [[3, 0], 4, 2.25],
    [[Number.NaN, Number.NaN], 3, 0.75],
    [[1.999, Number.NaN], 1, -0.75],
  ])('routes %o to node %i (raw %f)', (x, leaf, raw) => {
    expect(findLeaf(HAND_MODEL.trees[0]!, x)).toBe(leaf);
    expect(predictRaw(HAND_MODEL, x)).toBe(raw);
  });

  it('gives probabilities as the sigmoid of the raw score', () => {
    expect(predictProba(HAND_MODEL, [3, 0])).toBe(sigmoid(2.25));
  });

  it('scores a matrix row by row, equal to predictRaw', () => {
    const m = Float64Array.from([1, 5, 2, -1, 3, 0]);
    expect([...predictMatrix(HAND_MODEL, m, 3)]).toEqual([-0.75, 0.75, 2.25]);
    expect(predictMatrix(HAND_MODEL, m, 3, { proba: true })[2]).toBe(sigmoid(2.25));
  });

  it('rejects a row of the wrong width, naming the expected count', () => {
    expect(() => predictRaw(HAND_MODEL, [1])).toThrow('expected 1 × 2 = 2 values');
    expect(() => predictMatrix(HAND_MODEL, new Float64Array(5), 3)).toThrow('got 5');
  });
});
