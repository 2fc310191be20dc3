/**
 * Histogram binning: each feature's values are cut at (approximate) quantiles into at most `maxBins`
 * value bins, plus bin 0 for missing values (NaN). Training then works on one byte per cell.
 *
 * Bin of a value v = 1 + (number of cuts ≤ v), so a split "bins 1..t go left" is exactly the raw test
 * `v < cuts[t - 1]` that the saved trees use.
 */
import { PatchcastError } from '../../core/errors.js';

/** The bin that holds missing values (NaN), for every feature. */
export const MISSING_BIN = 0;

/** How many rows at most are sorted to find a feature's quantiles (LightGBM's bin_construct_sample_cnt is 200,000; 255 bins need far fewer). */
export const DEFAULT_BIN_SAMPLE = 100_000;

/** Per-feature cut points and the layout of a packed histogram over all features. */
export interface BinLayout {
  /** Ascending cut points per feature; feature f has `cuts[f].length + 1` value bins. */
  cuts: Float64Array[];
  /** Bins per feature, missing bin included (`cuts[f].length + 2`). */
  numBins: Int32Array;
  /** Where feature f's bins start in a packed histogram. */
  offsets: Int32Array;
  /** Sum of `numBins`: the length of a packed histogram (in bins). */
  totalBins: number;
}

/**
 * Finds each feature's cut points from quantiles of its non-missing values (on an evenly spaced sample
 * of at most `sampleRows` rows). A feature with at most `maxBins` distinct values gets one bin per
 * value (cuts at midpoints); otherwise bins are filled greedily to about equal counts.
 */
export function computeBinLayout(
  features: Float64Array,
  rows: number,
  nFeatures: number,
  maxBins: number,
  sampleRows = DEFAULT_BIN_SAMPLE,
): BinLayout {
  const stride = Math.max(1, rows / Math.max(1, sampleRows));
  const sample: number[] = [];
  for (let i = 0; i < rows; i += stride) sample.push(Math.floor(i));
  const column = new Float64Array(sample.length);
  const cuts: Float64Array[] = [];
  for (let f = 0; f < nFeatures; f++) {
    let n = 0;
    for (const r of sample) {
      const v = features[r * nFeatures + f]!;
      if (!Number.isNaN(v)) column[n++] = v;
    }
    cuts.push(quantileCuts(column.subarray(0, n).sort(), maxBins));
  }
  return layoutOf(cuts);
}

/** Builds the packed-histogram layout for given cut points (also used to rebuild it in tests). */
export function layoutOf(cuts: Float64Array[]): BinLayout {
  const numBins = new Int32Array(cuts.length);
  const offsets = new Int32Array(cuts.length);
  let total = 0;
  cuts.forEach((c, f) => {
    numBins[f] = c.length + 2;
    offsets[f] = total;
    total += c.length + 2;
  });
  return { cuts, numBins, offsets, totalBins: total };
}

/** Cut points for one feature's sorted non-missing values: at most `maxBins - 1` cuts. */
export function quantileCuts(sorted: Float64Array, maxBins: number): Float64Array {
  const values: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]!++;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  let remaining = sorted.length;
  let binsLeft = maxBins;
  let inBin = 0;
  for (let i = 0; i + 1 < values.length && binsLeft > 1; i++) {
    inBin += counts[i]!;
    // With few distinct values every value gets its own bin; otherwise close a bin once it holds its
    // share of what is left, so one very common value (e.g. 0) does not swallow the rest.
    if (values.length <= maxBins || inBin >= remaining / binsLeft) {
      cuts.push(midpoint(values[i]!, values[i + 1]!));
      remaining -= inBin;
      inBin = 0;
      binsLeft--;
    }
  }
  return Float64Array.from(cuts);
}

/** A cut strictly above `a` and at most `b`, so `a` goes left and `b` right of `x < cut`. */
function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  return m > a && m <= b ? m : b;
}

/** The bin of one value: 0 for NaN, else 1 + the number of cuts ≤ v (binary search). */
export function binValue(cuts: Float64Array, v: number): number {
  if (Number.isNaN(v)) return MISSING_BIN;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/**
 * Bins a row-major matrix into one byte per cell (same layout). Throws on ±Infinity, which the saved
 * thresholds (plain JSON) could not route the same way as the bins.
 */
export function binMatrix(features: Float64Array, rows: number, layout: BinLayout): Uint8Array {
  const nFeatures = layout.cuts.length;
  const out = new Uint8Array(rows * nFeatures);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let f = 0; f < nFeatures; f++, i++) {
      const v = features[i]!;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        throw new PatchcastError('INPUT_INVALID', `features: row ${r}, feature ${f} is ${v}`, {
          hint: 'Use finite numbers, or NaN for a missing value.',
          details: { row: r, feature: f },
        });
      }
      out[i] = binValue(layout.cuts[f]!, v);
    }
  }
  return out;
}
