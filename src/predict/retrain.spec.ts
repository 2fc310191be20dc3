import { describe, expect, it } from 'vitest';
import type { Metrics } from './backtest.js';
import { getMonthlyAsOfDays, sampleRows } from './dataset.js';
import { trainExploitModel } from './exploit-model.js';
import { fromDay, toDay } from './history/index.js';
import {
  challengeExploitModel,
  DEFAULT_PROMOTION_RULE,
  decidePromotion,
  getEvaluationDays,
} from './retrain.js';
import { SMALL_TRAIN, trainOnShuffledLabels } from './retrain-support.js';
import { makeSyntheticHistory } from './synthetic-history.js';

const T = toDay('2024-10-01');
const U = toDay('2024-05-01');

function metrics(averagePrecision: number, ece: number): Metrics {
  return { averagePrecision, rocAuc: 0.9, atEffort: [], ece, brier: 0.01 };
}

describe('promotion rule', () => {
  const decide = (ch: Metrics, cur: Metrics, positives = 10) =>
    decidePromotion({ positives, challenger: ch, current: cur }, DEFAULT_PROMOTION_RULE, 3);

  it('promotes a challenger that ranks at least as well and is no worse calibrated', () => {
    expect(decide(metrics(0.3, 0.01), metrics(0.2, 0.01)).promote).toBe(true);
    expect(decide(metrics(0.2, 0.015), metrics(0.2, 0.01)).promote).toBe(true);
  });

  it('keeps the current model when the challenger ranks worse, calibrates worse, or nothing can be judged', () => {
    expect(decide(metrics(0.19, 0.01), metrics(0.2, 0.01)).reason).toMatch(/ranks worse/);
    expect(decide(metrics(0.5, 0.05), metrics(0.2, 0.01)).reason).toMatch(/worse calibrated/);
    expect(decide(metrics(0.5, 0.01), metrics(0.2, 0.01), 9).reason).toMatch(/too few/);
  });
});

describe('champion/challenger on a synthetic world', () => {
  const history = makeSyntheticHistory();
  const good = trainExploitModel(history, { asOf: U, horizon: 30, epss: false, ...SMALL_TRAIN });

  it('evaluates only windows whose labels are known at T', () => {
    const days = getEvaluationDays(T, 30, 3);
    expect(days.map(fromDay)).toEqual(['2024-07-01', '2024-08-01', '2024-09-01']);
    for (const day of days) expect(day + 30).toBeLessThanOrEqual(T);
  });

  it('does not promote a challenger trained on shuffled labels', () => {
    const result = challengeExploitModel(history, {
      asOf: T,
      current: good,
      train: SMALL_TRAIN,
      trainChallenger: trainOnShuffledLabels,
    });
    expect(result.pooled.positives).toBeGreaterThan(5);
    expect(result.windows.every((w) => w.currentMode === 'frozen')).toBe(true);
    expect(result.pooled.challenger.averagePrecision).toBeLessThan(result.pooled.current.averagePrecision);
    expect(result.decision.promote).toBe(false);
    expect(result.challenger.card.trainedUntil).toBe('2024-10-01');
  });

  it('promotes a challenger over a current model that learned nothing', () => {
    const bad = trainOnShuffledLabels(history, {
      asOf: U,
      horizon: 30,
      epss: false,
      ...SMALL_TRAIN,
      rows: sampleRows(history, {
        asOfDays: getMonthlyAsOfDays('2022-01-01', U, 30),
        horizon: 30,
        negativeRate: 0.1,
        seed: 1,
      }),
    });
    const result = challengeExploitModel(history, { asOf: T, current: bad, train: SMALL_TRAIN });
    expect(result.pooled.challenger.averagePrecision).toBeGreaterThan(result.pooled.current.averagePrecision);
    expect(result.decision.promote).toBe(true);
  });

  it("refits the current model's recipe on windows whose labels it was trained on", () => {
    const later = trainExploitModel(history, {
      asOf: toDay('2024-08-15'),
      horizon: 30,
      epss: false,
      ...SMALL_TRAIN,
    });
    const result = challengeExploitModel(history, { asOf: T, current: later, train: SMALL_TRAIN });
    expect(result.windows.map((w) => [w.asOf, w.currentMode])).toEqual([
      ['2024-07-01', 'refit'],
      ['2024-08-01', 'refit'],
      ['2024-09-01', 'frozen'],
    ]);
  });
});
