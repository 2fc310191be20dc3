import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averagePrecision, coverageEfficiencyAtEffort, rocAuc } from './metrics.js';

describe('averagePrecision', () => {
  it('matches scikit-learn on its documented example (0.8333…)', () => {
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12);
  });

  it('is the mean precision at each positive for a strict ranking', () => {
    // Positives at ranks 1, 3 and 6: (1/1 + 2/3 + 3/6) / 3.
    const scores = [6, 5, 4, 3, 2, 1];
    expect(averagePrecision(scores, [1, 0, 1, 0, 0, 1])).toBeCloseTo((1 + 2 / 3 + 1 / 2) / 3, 12);
  });

  it('treats tied scores as one threshold', () => {
    expect(averagePrecision([0.5, 0.5, 0.1], [1, 0, 0])).toBeCloseTo(0.5, 12);
  });

  it('is NaN without positives', () => {
    expect(averagePrecision([0.3, 0.2], [0, 0])).toBeNaN();
  });

  it('treats a weight of 2 like a duplicated row', () => {
    const arb = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 }), fc.boolean()),
      {
        minLength: 1,
        maxLength: 30,
      },
    );
    fc.assert(
      fc.property(arb, (items) => {
        const scores = items.map(([s]) => s);
        const labels = items.map(([, y]) => y);
        const weights = items.map(([, , double]) => (double ? 2 : 1));
        const dup = items.flatMap(([s, y, double]) =>
          double
            ? [
                [s, y],
                [s, y],
              ]
            : [[s, y]],
        );
        const a = averagePrecision(scores, labels, weights);
        const b = averagePrecision(
          dup.map((d) => d[0]!),
          dup.map((d) => d[1]!),
        );
        expect(Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) < 1e-12).toBe(true);
        const c = rocAuc(scores, labels, weights);
        const d = rocAuc(
          dup.map((x) => x[0]!),
          dup.map((x) => x[1]!),
        );
        expect(Number.isNaN(c) ? Number.isNaN(d) : Math.abs(c - d) < 1e-12).toBe(true);
      }),
    );
  });
});

describe('rocAuc', () => {
  it('matches scikit-learn on its documented example (0.75)', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    expect(rocAuc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBe((2 + 1 + 0.5) / 4);
  });

  it('is NaN when a class is absent', () => {
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });
});

describe('coverageEfficiencyAtEffort', () => {
  const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const labels = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0];

  it('flags the top share: coverage = recall, efficiency = precision', () => {
    const r = coverageEfficiencyAtEffort(scores, labels, 0.2);
    expect(r.coverage).toBeCloseTo(1 / 3, 12);
    expect(r.efficiency).toBeCloseTo(1 / 2, 12);
    expect(r.flagged).toBeCloseTo(2, 12);
    expect(r.threshold).toBe(9);
    expect(coverageEfficiencyAtEffort(scores, labels, 1).coverage).toBe(1);
  });

  it('flags a group tied at the cut in part, whatever the input order', () => {
    // Top 1 of 4, but the best score is shared by a positive and a negative: half of each.
    const a = coverageEfficiencyAtEffort([5, 5, 1, 1], [1, 0, 0, 1], 0.25);
    const b = coverageEfficiencyAtEffort([5, 5, 1, 1], [0, 1, 1, 0], 0.25);
    expect(a).toEqual(b);
    expect(a.coverage).toBeCloseTo(0.25, 12);
    expect(a.efficiency).toBeCloseTo(0.5, 12);
  });

  it('measures effort by weight', () => {
    const r = coverageEfficiencyAtEffort([3, 2, 1], [1, 0, 0], 0.5, [1, 1, 8]);
    expect(r.flagged).toBe(5);
    expect(r.coverage).toBe(1);
    expect(r.efficiency).toBeCloseTo(1 / 5, 12);
  });

  it('rejects an effort outside [0, 1]', () => {
    expect(() => coverageEfficiencyAtEffort(scores, labels, 10)).toThrow('effort must be a share');
  });
});
