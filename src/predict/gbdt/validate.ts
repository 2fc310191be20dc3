/**
 * Checks of training inputs, so a caller's mistake is reported by name (field, row) before any work,
 * rather than surfacing as NaN scores later.
 */
import { PatchcastError } from '../../core/errors.js';
import type { GbdtParams, TrainingSet } from './types.js';

type NumericParam = Exclude<keyof GbdtParams, 'earlyStoppingRounds'>;

/** Allowed range per parameter: [min, max, integer?]. */
const RANGES: Record<NumericParam, [number, number, boolean]> = {
  rounds: [0, 1e6, true],
  learningRate: [Number.MIN_VALUE, 10, false],
  maxDepth: [0, 30, true],
  minChildWeight: [0, Number.MAX_VALUE, false],
  lambda: [0, Number.MAX_VALUE, false],
  maxBins: [2, 255, true],
  subsample: [Number.MIN_VALUE, 1, false],
  colsample: [Number.MIN_VALUE, 1, false],
  seed: [-(2 ** 53), 2 ** 53, true],
};

/** Throws INPUT_INVALID naming the first parameter out of its range. */
export function validateParams(params: GbdtParams): void {
  for (const [name, [min, max, integer]] of Object.entries(RANGES)) {
    const value = params[name as NumericParam];
    if (
      typeof value !== 'number' ||
      !(value >= min && value <= max) ||
      (integer && !Number.isInteger(value))
    ) {
      fail(
        `params.${name}`,
        `must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${value}`,
      );
    }
  }
  const stop = params.earlyStoppingRounds;
  if (stop !== undefined && !(Number.isInteger(stop) && stop >= 1)) {
    fail('params.earlyStoppingRounds', `must be a positive integer, got ${stop}`);
  }
}

/** Throws INPUT_INVALID when the set's arrays disagree in size, labels are not 0/1 or weights are negative. */
export function validateSet(name: string, set: TrainingSet, featureNames?: readonly string[]): void {
  const width = set.featureNames.length;
  if (!Number.isInteger(set.rows) || set.rows < 1)
    fail(`${name}.rows`, `must be a positive integer, got ${set.rows}`);
  if (set.features.length !== set.rows * width) {
    fail(
      `${name}.features`,
      `has ${set.features.length} values, expected rows × features = ${set.rows * width}`,
    );
  }
  if (set.labels.length !== set.rows)
    fail(`${name}.labels`, `has ${set.labels.length} values, expected ${set.rows}`);
  const bad = set.labels.findIndex((y) => y > 1);
  if (bad >= 0) fail(`${name}.labels`, `row ${bad} is ${set.labels[bad]}, expected 0 or 1`);
  if (set.weights) {
    if (set.weights.length !== set.rows)
      fail(`${name}.weights`, `has ${set.weights.length} values, expected ${set.rows}`);
    const neg = set.weights.findIndex((w) => !(w >= 0 && w < Number.POSITIVE_INFINITY));
    if (neg >= 0) fail(`${name}.weights`, `row ${neg} is ${set.weights[neg]}, expected a finite weight ≥ 0`);
  }
  if (featureNames && featureNames.join('\u0000') !== set.featureNames.join('\u0000')) {
    fail(`${name}.featureNames`, 'must equal the training set featureNames, in the same order');
  }
}

function fail(field: string, message: string): never {
  throw new PatchcastError('INPUT_INVALID', `${field} ${message}`, { details: { field } });
}
