import { describe, expect, it } from 'vitest';
import { sigmoid } from '../gbdt/index.js';
import { explainLogistic, fitLogistic, predictLogistic } from './logistic.js';

describe('logistic regression', () => {
  it('recovers the direction of a synthetic signal and explains every score exactly', () => {
    let seed = 3;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const rows = 3000;
    const features = new Float64Array(rows * 3);
    const labels = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      const [a, b] = [uniform() * 4 - 2, uniform() * 4 - 2];
      features.set([a, b, i % 7 === 0 ? Number.NaN : uniform()], i * 3);
      labels[i] = uniform() < sigmoid(1.5 * a - 1 - (i % 7 === 0 ? 1 : 0)) ? 1 : 0;
    }
    const model = fitLogistic({ features, rows, featureNames: ['a', 'b', 'c'], labels }, 1);
    expect(model.coef[0]!).toBeGreaterThan(1);
    expect(Math.abs(model.coef[1]!)).toBeLessThan(0.2);
    expect(model.missingFeatures).toEqual([2]);
    expect(model.missingCoef[0]!).toBeLessThan(-0.4);
    const x = [0.5, -1, Number.NaN];
    const logOdds = model.intercept + explainLogistic(model, x).reduce((s, v) => s + v, 0);
    expect(predictLogistic(model, x)).toBeCloseTo(sigmoid(logOdds), 12);
  });
});
