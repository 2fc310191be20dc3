import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binMatrix, binValue, computeBinLayout, layoutOf, MISSING_BIN, quantileCuts } from './binning.js';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('quantileCuts', () => {
  it('gives each of few distinct values its own bin, cut at midpoints', () => {
    expect([...quantileCuts(sorted([0, 0, 1, 1, 1, 3]), 255)]).toEqual([0.5, 2]);
  });

  it('keeps at most maxBins value bins, of about equal counts', () => {
    const values = sorted(Array.from({ length: 1000 }, (_, i) => i));
    const cuts = quantileCuts(values, 10);
    expect(cuts.length).toBe(9);
    const counts = new Array(10).fill(0);
    for (const v of values) counts[binValue(cuts, v) - 1]++;
    for (const c of counts) expect(c).toBe(100);
  });

  it('does not let a very common value swallow the other bins', () => {
    const values = sorted([...new Array(900).fill(0), ...Array.from({ length: 100 }, (_, i) => i + 1)]);
    const cuts = quantileCuts(values, 10);
    expect(cuts[0]).toBe(0.5);
    expect(cuts.length).toBe(9);
  });

  it('has no cuts for a constant or empty feature', () => {
    expect(quantileCuts(sorted([2, 2, 2]), 16).length).toBe(0);
    expect(quantileCuts(sorted([]), 16).length).toBe(0);
  });
});

describe('binValue', () => {
  it('puts NaN in the missing bin and values by the cuts', () => {
    const cuts = Float64Array.from([1, 2]);
    expect([Number.NaN, 0, 1, 1.5, 2, 9].map((v) => binValue(cuts, v))).toEqual([MISSING_BIN, 1, 2, 2, 3, 3]);
  });

  it('agrees with the raw threshold test: bin ≤ t exactly when v < cuts[t − 1]', () => {
    const arb = fc.record({
      cuts: fc.uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), {
        minLength: 1,
        maxLength: 20,
      }),
      v: fc.double({ noNaN: true, noDefaultInfinity: true }),
    });
    fc.assert(
      fc.property(arb, ({ cuts, v }) => {
        const c = Float64Array.from(cuts).sort();
        const b = binValue(c, v);
        for (let t = 1; t <= c.length; t++) expect(b <= t).toBe(v < c[t - 1]!);
      }),
    );
  });
});

describe('binMatrix and computeBinLayout', () => {
  it('bins a row-major matrix feature by feature', () => {
    const features = Float64Array.from([1, Number.NaN, 2, 5, 3, 5]);
    const layout = computeBinLayout(features, 3, 2, 255);
    // Feature 0: cuts 1.5 and 2.5 → three value bins + missing; feature 1: one value → one + missing.
    expect([...layout.numBins]).toEqual([4, 2]);
    expect([...layout.offsets]).toEqual([0, 4]);
    expect(layout.totalBins).toBe(6);
    expect([...binMatrix(features, 3, layout)]).toEqual([1, 0, 2, 1, 3, 1]);
  });

  it('rejects infinite values, which JSON thresholds could not route', () => {
    const layout = layoutOf([Float64Array.from([0.5])]);
    expect(() => binMatrix(Float64Array.from([0, Number.NEGATIVE_INFINITY]), 2, layout)).toThrow(
      'row 1, feature 0',
    );
  });
});
