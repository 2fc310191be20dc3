import { describe, expect, it } from 'vitest';
import { applyCalibration, type Calibrator, fitIsotonic, fitPlatt } from './calibrate.js';
import { brierScore, expectedCalibrationError, reliabilityCurve } from './calibration-metrics.js';
import { sigmoid } from './loss.js';
import { makeRandom } from './random.js';
import { gaussian } from './synthetic.js';

/**
 * Held-out predictions of an overconfident, biased model: the true log-odds are z, the model says
 * sigmoid(2.5·z + 1). Labels are drawn from the truth.
 */
function miscalibrated(n: number, seed: number): { probs: Float64Array; labels: Uint8Array } {
  const random = makeRandom(seed);
  const probs = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const z = gaussian(random) * 1.2 - 2;
    probs[i] = sigmoid(2.5 * z + 1);
    labels[i] = random() < sigmoid(z) ? 1 : 0;
  }
  return { probs, labels };
}

const calibrated = (cal: Calibrator, probs: Float64Array) => probs.map((p) => applyCalibration(cal, p));

describe('fitIsotonic', () => {
  it('pools adjacent violators into their weighted mean', () => {
    const cal = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(cal).toEqual({ kind: 'isotonic', x: [0.1, 0.2, 0.3, 0.4], y: [0, 0.5, 0.5, 1] });
    expect(applyCalibration(cal, 0.25)).toBe(0.5);
    expect(applyCalibration(cal, 0.15)).toBeCloseTo(0.25, 12);
    expect(applyCalibration(cal, 0)).toBe(0);
    expect(applyCalibration(cal, 1)).toBe(1);
  });

  it('weights points and merges equal probabilities', () => {
    const cal = fitIsotonic([0.2, 0.2, 0.6, 0.6], [1, 0, 0, 1], [3, 1, 1, 1]);
    // 0.2 → 3/4, 0.6 → 1/2 violate the order: pooled (3 + 1) / 6.
    expect(cal).toEqual({ kind: 'isotonic', x: [0.2, 0.6], y: [4 / 6, 4 / 6] });
  });

  it('makes a miscalibrated score calibrated on fresh data (ECE < 0.01)', () => {
    const fit = miscalibrated(60_000, 1);
    const test = miscalibrated(60_000, 2);
    const before = expectedCalibrationError(test.probs, test.labels);
    const cal = fitIsotonic(fit.probs, fit.labels);
    const after = expectedCalibrationError(calibrated(cal, test.probs), test.labels);
    expect(before).toBeGreaterThan(0.05);
    expect(after).toBeLessThan(0.01);
  });
});

describe('fitPlatt', () => {
  it('recovers a logistic distortion and calibrates (ECE < 0.01)', () => {
    const fit = miscalibrated(60_000, 3);
    const test = miscalibrated(60_000, 4);
    const cal = fitPlatt(fit.probs, fit.labels);
    if (cal.kind !== 'platt') throw new Error('expected Platt');
    // The truth is logit = (logit(p) − 1) / 2.5: a = 0.4, b = −0.4.
    expect(cal.a).toBeCloseTo(0.4, 1);
    expect(cal.b).toBeCloseTo(-0.4, 1);
    expect(expectedCalibrationError(calibrated(cal, test.probs), test.labels)).toBeLessThan(0.01);
  });

  it('keeps the map monotone and finite at 0 and 1', () => {
    const cal = fitPlatt([0, 0.2, 0.4, 1], [0, 0, 1, 1]);
    const out = [0, 0.3, 0.7, 1].map((p) => applyCalibration(cal, p));
    for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThanOrEqual(out[i - 1]!);
    for (const p of out) expect(Number.isFinite(p)).toBe(true);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => fitPlatt([0.5, 1.5], [0, 1])).toThrow('item 1 is 1.5');
  });
});

describe('calibration metrics', () => {
  const probs = [0.05, 0.15, 0.15, 0.95];
  const labels = [0, 0, 1, 1];

  it('builds a reliability curve of non-empty equal-width bins', () => {
    expect(reliabilityCurve(probs, labels, undefined, 10)).toEqual([
      { lower: 0, upper: 0.1, meanPredicted: 0.05, observedRate: 0, weight: 1, count: 1 },
      { lower: 0.1, upper: 0.2, meanPredicted: 0.15, observedRate: 0.5, weight: 2, count: 2 },
      { lower: 0.9, upper: 1, meanPredicted: 0.95, observedRate: 1, weight: 1, count: 1 },
    ]);
  });

  it('computes ECE as the weighted mean gap per bin', () => {
    // (1·0.05 + 2·0.35 + 1·0.05) / 4 = 0.2.
    expect(expectedCalibrationError(probs, labels)).toBeCloseTo(0.2, 12);
    expect(expectedCalibrationError(probs, labels, [1, 0, 0, 1])).toBeCloseTo(0.05, 12);
  });

  it('computes the Brier score, weighted', () => {
    const expected = (0.05 ** 2 + 0.15 ** 2 + 0.85 ** 2 + 0.05 ** 2) / 4;
    expect(brierScore(probs, labels)).toBeCloseTo(expected, 12);
    expect(brierScore([0.5, 1], [1, 1], [1, 3])).toBeCloseTo(0.25 / 4, 12);
  });
});
