import { describe, expect, it } from 'vitest';
import type { BacktestResult, Metrics } from './backtest.js';
import { CARD_BASELINES, getCardBacktest, getCardBacktestRows } from './card-backtest.js';

function metrics(ap: number, coverage10: number): Metrics {
  return {
    averagePrecision: ap,
    rocAuc: 0.9,
    atEffort: [0.01, 0.05, 0.1, 0.15].map((effort) => ({
      effort,
      coverage: effort === 0.1 ? coverage10 : 0.5,
      efficiency: 0.001,
    })),
  };
}

const result: BacktestResult = {
  horizonDays: 30,
  scorerLabels: { model: 'patchcast model', epss: 'EPSS', cvss9: 'CVSS ≥ 9', cvss7: 'CVSS ≥ 7' },
  prCurves: {},
  pooled: { population: 20, positives: 2, scorers: { model: metrics(0.03, 0.8) } },
  points: [
    {
      asOf: '2025-12-16',
      population: 10,
      positives: 1,
      scorers: { model: metrics(0.02, 0.7), cvss9: metrics(0.0001, 0.4), cvss7: metrics(0.00007, 0.2) },
    },
    {
      asOf: '2026-01-30',
      population: 10,
      positives: 1,
      scorers: {
        model: metrics(0.037, 0.8),
        epss: metrics(0.0007, 0.4),
        cvss9: metrics(0.0001, 0.41),
        cvss7: metrics(0.00007, 0.17),
      },
    },
  ],
};

describe('the model card backtest', () => {
  it('shows EPSS and CVSS beside the model on every as-of day, n/a where EPSS had no file', () => {
    const { perDay } = getCardBacktestRows(getCardBacktest(result));
    for (const row of perDay) for (const id of ['model', ...CARD_BASELINES]) expect(row).toHaveProperty(id);
    expect(perDay[0]).toMatchObject({ asOf: '2025-12-16', model: '0.02000 / 0.70', epss: 'n/a' });
    expect(perDay[1]).toMatchObject({
      model: '0.03700 / 0.80',
      epss: '0.00070 / 0.40',
      cvss9: '0.00010 / 0.41',
    });
  });
});
