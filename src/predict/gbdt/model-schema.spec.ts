import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitIsotonic } from './calibrate.js';
import { parseCalibrator, parseGbdtModel } from './model-schema.js';
import { makeSyntheticSet } from './synthetic.js';
import { trainGbdt } from './train.js';

const HAND = JSON.parse(readFileSync(new URL('./__fixtures__/hand-model.json', import.meta.url), 'utf8'));
const withTree = (patch: Record<string, unknown>) => ({ ...HAND, trees: [{ ...HAND.trees[0], ...patch }] });

describe('parseGbdtModel', () => {
  it('accepts a trained model after a JSON round trip', () => {
    const params = { rounds: 5, learningRate: 0.3, maxDepth: 3, minChildWeight: 1, lambda: 1, maxBins: 32 };
    const { model } = trainGbdt(makeSyntheticSet(500, 6, 1), {
      ...params,
      subsample: 1,
      colsample: 1,
      seed: 1,
    });
    expect(parseGbdtModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it.each([
    [{ ...HAND, kind: 'gbdt-multi' }, 'kind'],
    [withTree({ value: [0, null, 0, 0.5, 2] }), 'trees.0.value.1'],
    [withTree({ cover: [10, 6, 4, 1] }), 'trees.0.cover has 4 entries'],
    [withTree({ feature: [0, -1, 2, -1, -1] }), 'feature.2 is 2'],
    [withTree({ left: [1, -1, 0, -1, -1] }), 'node 2 has child 0'],
  ])('rejects a broken model (%#), naming %s', (input, message) => {
    expect(() => parseGbdtModel(input, 'model.json')).toThrow(message);
  });
});

describe('parseCalibrator', () => {
  it('accepts a fitted calibrator and rejects a decreasing one', () => {
    const cal = fitIsotonic([0.1, 0.5, 0.9], [0, 1, 1]);
    expect(parseCalibrator(JSON.parse(JSON.stringify(cal)))).toEqual(cal);
    expect(() => parseCalibrator({ kind: 'isotonic', x: [0, 1], y: [0.9, 0.1] })).toThrow('non-decreasing');
    expect(() => parseCalibrator({ kind: 'platt', a: 1 })).toThrow('b');
  });
});
