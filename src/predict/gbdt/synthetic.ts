/**
 * Synthetic binary-classification data for the tests and bench/gbdt.ts (not exported from the
 * module): a mix of continuous, count and binary features, some with missing values, and a label
 * drawn from a nonlinear log-odds with interactions, thresholds and an informative missingness.
 */
import { sigmoid } from './loss.js';
import { makeRandom, type Random } from './random.js';
import type { TrainingSet } from './types.js';

/** Makes `rows × nFeatures` data (nFeatures ≥ 4) with about `baseRate` positives. */
export function makeSyntheticSet(rows: number, nFeatures: number, seed: number, baseRate = 0.1): TrainingSet {
  const random = makeRandom(seed);
  const features = new Float64Array(rows * nFeatures);
  const labels = new Uint8Array(rows);
  const offset = Math.log(baseRate / (1 - baseRate));
  for (let r = 0; r < rows; r++) {
    const x = features.subarray(r * nFeatures, (r + 1) * nFeatures);
    for (let f = 0; f < nFeatures; f++) x[f] = cell(f, random);
    labels[r] = random() < sigmoid(offset + signal(x)) ? 1 : 0;
  }
  const featureNames = Array.from({ length: nFeatures }, (_, f) => `f${f}`);
  return { features, rows, featureNames, labels };
}

/** Feature kinds by column: normal, count, binary, normal with 20% missing. */
function cell(f: number, random: Random): number {
  switch (f % 4) {
    case 0:
      return gaussian(random);
    case 1:
      return Math.floor(-Math.log(1 - random()) * 3);
    case 2:
      return random() < 0.3 ? 1 : 0;
    default:
      return random() < 0.2 ? Number.NaN : gaussian(random);
  }
}

/** The true log-odds above the base rate: an interaction, a threshold, a count and missingness. */
function signal(x: Float64Array): number {
  const a = x[0]!;
  const count = x[1]!;
  const flag = x[2]!;
  const gappy = x[3]!;
  let s = 1.5 * Math.sign(a) * (flag - 0.5) * 2;
  s += count >= 4 ? 1.2 : 0;
  s += Number.isNaN(gappy) ? 1 : 0.5 * gappy;
  return s;
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
