import { describe, expect, it } from 'vitest';
import { PatchcastError } from '../core/errors.js';
import { runBacktest } from './backtest.js';
import { trainExploitModel } from './exploit-model.js';
import { toDay } from './history/index.js';
import { assertLabelsKnown, getCutoffDay } from './label-window.js';
import { SMALL_TRAIN } from './retrain-support.js';
import { makeSyntheticHistory } from './synthetic-history.js';

const history = makeSyntheticHistory({ knownUntil: toDay('2024-10-01') });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof PatchcastError ? `${error.code}: ${error.message}` : String(error);
  }
  return undefined;
}

describe('label windows must end by the data cut-off', () => {
  it('takes the day after the last dated fact as the cut-off', () => {
    expect(getCutoffDay(history)).toBe(history.lastDay + 1);
    expect(() => assertLabelsKnown(history, getCutoffDay(history) - 30, 30, '--to')).not.toThrow();
  });

  it('refuses a backtest whose last window reaches past the data, naming the latest valid day', () => {
    const to = getCutoffDay(history) - 10;
    const message = codeOf(() =>
      runBacktest(history, { from: to, to, step: 30, horizon: 30, paramGrid: SMALL_TRAIN.paramGrid }),
    );
    expect(message).toMatch(/^MODEL_LABELS_UNKNOWN: --to .* \+ 30 days ends on .*after the data's cut-off/);
  });

  it('refuses a model trained as of a day whose last training window is not over', () => {
    const message = codeOf(() =>
      trainExploitModel(history, {
        asOf: getCutoffDay(history) + 60,
        horizon: 30,
        epss: false,
        ...SMALL_TRAIN,
      }),
    );
    expect(message).toMatch(/^MODEL_LABELS_UNKNOWN: the last training day/);
  });

  it('refuses --epss when no training day has a full EPSS file', () => {
    const message = codeOf(() =>
      trainExploitModel(history, { asOf: getCutoffDay(history), horizon: 30, epss: true, ...SMALL_TRAIN }),
    );
    expect(message).toMatch(/^MODEL_NO_EPSS: --epss: none of the \d+ training days/);
  });
});
