import { describe, expect, it } from 'vitest';
import { PatchcastError } from '../../core/errors.js';
import { meanLogLoss, sigmoid } from './loss.js';
import { rocAuc } from './metrics.js';
import { predictMatrix, predictRaw } from './predict.js';
import { makeRandom } from './random.js';
import { makeSyntheticSet } from './synthetic.js';
import { trainGbdt } from './train.js';
import type { GbdtParams, TrainingSet } from './types.js';

const PARAMS: GbdtParams = {
  rounds: 30,
  learningRate: 0.2,
  maxDepth: 3,
  minChildWeight: 1,
  lambda: 1,
  maxBins: 64,
  subsample: 1,
  colsample: 1,
  seed: 7,
};

function oneFeature(values: number[], labels: number[]): TrainingSet {
  return {
    features: Float64Array.from(values),
    rows: values.length,
    featureNames: ['x'],
    labels: Uint8Array.from(labels),
  };
}

/** Two uniform features in [−1, 1]; label = same sign (XOR), flipped with probability `noise`. */
function xorSet(rows: number, seed: number, noise = 0.1): TrainingSet {
  const random = makeRandom(seed);
  const features = new Float64Array(rows * 2);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    features[2 * r] = a;
    features[2 * r + 1] = b;
    labels[r] = (a * b > 0 ? 1 : 0) ^ (random() < noise ? 1 : 0);
  }
  return { features, rows, featureNames: ['a', 'b'], labels };
}

/** Logistic regression by gradient descent: the linear baseline. Returns scores on `test`. */
function linearScores(train: TrainingSet, test: TrainingSet): Float64Array {
  const w = [0, 0, 0];
  for (let iter = 0; iter < 300; iter++) {
    const g = [0, 0, 0];
    for (let r = 0; r < train.rows; r++) {
      const x = [train.features[2 * r]!, train.features[2 * r + 1]!, 1];
      const e = sigmoid(w[0]! * x[0]! + w[1]! * x[1]! + w[2]!) - train.labels[r]!;
      for (let k = 0; k < 3; k++) g[k]! += (e * x[k]!) / train.rows;
    }
    for (let k = 0; k < 3; k++) w[k]! -= 1 * g[k]!;
  }
  return Float64Array.from(
    { length: test.rows },
    (_, r) => w[0]! * test.features[2 * r]! + w[1]! * test.features[2 * r + 1]! + w[2]!,
  );
}

describe('trainGbdt on a hand-computed stump', () => {
  const set = oneFeature([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1]);
  const params = { ...PARAMS, rounds: 1, maxDepth: 1, minChildWeight: 0, learningRate: 0.3 };
  const { model } = trainGbdt(set, params);
  const tree = model.trees[0]!;

  it('starts from the log-odds of the base rate', () => {
    expect(model.baseScore).toBe(0);
  });

  it('splits between 3 and 4', () => {
    expect(tree.feature[0]).toBe(0);
    expect(tree.threshold[0]).toBe(3.5);
  });

  it('sets leaf values to −G/(H+λ) × learning rate and covers to H', () => {
    // At p = 0.5: g = p − y = ±0.5 and h = 0.25 per row; each side holds three rows.
    const left = tree.left[0]!;
    const right = tree.right[0]!;
    expect(tree.value[left]).toBeCloseTo((-1.5 / (0.75 + 1)) * 0.3, 12);
    expect(tree.value[right]).toBeCloseTo((1.5 / (0.75 + 1)) * 0.3, 12);
    expect(tree.cover[left]).toBeCloseTo(0.75, 12);
    expect(tree.cover[0]).toBeCloseTo(1.5, 12);
  });

  it('uses sample weights for the base score', () => {
    const weighted = { ...set, weights: Float64Array.from([1, 1, 1, 3, 3, 3]) };
    const { model: m } = trainGbdt(weighted, { ...params, rounds: 0 });
    expect(m.baseScore).toBeCloseTo(Math.log(3), 12);
  });
});

describe('trainGbdt learning', () => {
  it('learns XOR with noise far better than a linear model', () => {
    const train = xorSet(4000, 1);
    const test = xorSet(4000, 2);
    const { model } = trainGbdt(train, PARAMS);
    const gbdt = rocAuc(predictMatrix(model, test.features, test.rows), test.labels);
    const linear = rocAuc(linearScores(train, test), test.labels);
    expect(gbdt).toBeGreaterThan(0.85);
    expect(gbdt - linear).toBeGreaterThan(0.25);
  });

  it('lowers the training loss every round', () => {
    const { history } = trainGbdt(makeSyntheticSet(2000, 8, 3), PARAMS);
    for (let i = 1; i < history.length; i++)
      expect(history[i]!.trainLoss).toBeLessThan(history[i - 1]!.trainLoss);
  });

  it('reports the same training loss as scoring the raw features (binned and raw routing agree)', () => {
    const set = makeSyntheticSet(3000, 8, 4);
    const { model, history } = trainGbdt(set, { ...PARAMS, subsample: 0.7, colsample: 0.3 });
    const loss = meanLogLoss(predictMatrix(model, set.features, set.rows), set.labels);
    expect(loss).toBeCloseTo(history[history.length - 1]!.trainLoss, 12);
  });
});

describe('trainGbdt with missing values', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, Number.NaN, Number.NaN];

  it('sends NaN with the high values when they share the label', () => {
    const { model } = trainGbdt(oneFeature(values, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), {
      ...PARAMS,
      maxDepth: 1,
      minChildWeight: 0,
    });
    expect(model.trees[0]!.missingLeft[0]).toBe(false);
    expect(predictRaw(model, [Number.NaN])).toBeCloseTo(predictRaw(model, [8]), 12);
  });

  it('sends NaN with the low values when they share the label', () => {
    const { model } = trainGbdt(oneFeature(values, [1, 1, 1, 1, 0, 0, 0, 0, 1, 1]), {
      ...PARAMS,
      maxDepth: 1,
      minChildWeight: 0,
    });
    expect(model.trees[0]!.missingLeft[0]).toBe(true);
    expect(predictRaw(model, [Number.NaN])).toBeCloseTo(predictRaw(model, [1]), 12);
  });

  it('splits missing from present when only missingness carries the label', () => {
    const set = oneFeature([1, 1, 1, 1, Number.NaN, Number.NaN], [0, 0, 0, 0, 1, 1]);
    const { model } = trainGbdt(set, { ...PARAMS, maxDepth: 1, minChildWeight: 0 });
    expect(model.trees[0]!.feature[0]).toBe(0);
    expect(predictRaw(model, [Number.NaN])).toBeGreaterThan(predictRaw(model, [1]) + 1);
  });
});

describe('trainGbdt reproducibility, early stopping and JSON', () => {
  const set = makeSyntheticSet(3000, 12, 5);
  const sampled = { ...PARAMS, subsample: 0.7, colsample: 0.5 };

  it('gives the identical model for the same seed, and another for another seed', () => {
    const a = JSON.stringify(trainGbdt(set, sampled).model);
    expect(JSON.stringify(trainGbdt(set, sampled).model)).toBe(a);
    expect(JSON.stringify(trainGbdt(set, { ...sampled, seed: 8 }).model)).not.toBe(a);
  });

  it('stops when the validation loss stops improving and keeps the best round', () => {
    const valid = makeSyntheticSet(2000, 12, 6);
    const params = { ...PARAMS, rounds: 400, learningRate: 0.5, maxDepth: 6, earlyStoppingRounds: 10 };
    const { model, history, bestRound } = trainGbdt(set, params, valid);
    expect(history.length).toBeLessThan(400);
    expect(history.length).toBe(bestRound + 10);
    expect(model.trees).toHaveLength(bestRound);
    const best = Math.min(...history.map((h) => h.validLoss!));
    expect(history[bestRound - 1]!.validLoss).toBe(best);
  });

  it('round-trips through JSON with identical predictions', () => {
    const { model } = trainGbdt(set, sampled);
    const loaded = JSON.parse(JSON.stringify(model));
    expect(predictMatrix(loaded, set.features, set.rows)).toEqual(
      predictMatrix(model, set.features, set.rows),
    );
  });
});

describe('trainGbdt input checks', () => {
  const set = oneFeature([1, 2], [0, 1]);

  it.each([
    [{ maxBins: 256 }, 'params.maxBins'],
    [{ subsample: 0 }, 'params.subsample'],
    [{ maxDepth: 2.5 }, 'params.maxDepth'],
    [{ earlyStoppingRounds: 5 }, 'params.earlyStoppingRounds'],
  ])('rejects %o naming %s', (bad, field) => {
    expect(() => trainGbdt(set, { ...PARAMS, ...bad })).toThrow(field);
  });

  it('rejects labels other than 0/1 and mismatched sizes with a coded error', () => {
    const err = (() => {
      try {
        trainGbdt({ ...set, labels: Uint8Array.from([0, 2]) }, PARAMS);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PatchcastError);
    expect((err as PatchcastError).code).toBe('INPUT_INVALID');
    expect(() => trainGbdt({ ...set, rows: 3 }, PARAMS)).toThrow('train.features');
    expect(() => trainGbdt(oneFeature([1, Number.POSITIVE_INFINITY], [0, 1]), PARAMS)).toThrow('Infinity');
  });
});
