import { describe, expect, it } from 'vitest';
import { runBacktest } from './backtest.js';
import { makeHistoryBuilder, toDay } from './history/index.js';
import { SMALL_TRAIN } from './retrain-support.js';
import { addSyntheticWorld } from './synthetic-history.js';

const T = toDay('2024-03-01');

function makeWorld(withEpss: boolean) {
  const builder = makeHistoryBuilder();
  addSyntheticWorld(builder, { cves: 1200 });
  if (withEpss) {
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      cve: `CVE-2022-${10000 + i}`,
      epss: (i % 97) / 100,
      percentile: (i % 97) / 97,
    }));
    builder.addEpss(T - 1, 'v2025.03.14', rows);
  }
  return builder.build();
}

describe('runBacktest', () => {
  it("scores risk scoring's max(model, EPSS) beside the model and EPSS on a point with EPSS", () => {
    const options = {
      from: T,
      to: T,
      step: 30,
      horizon: 30,
      negativeRate: 0.1,
      paramGrid: SMALL_TRAIN.paramGrid ?? [],
    };
    const withEpss = runBacktest(makeWorld(true), options);
    const point = withEpss.points[0];
    expect(Object.keys(point?.scorers ?? {})).toEqual(
      expect.arrayContaining(['model', 'epss', 'model-max-epss']),
    );
    expect(withEpss.scorerLabels['model-max-epss']).toBe('max(model, EPSS) (risk scoring)');
    expect(point?.scorers['model-max-epss']?.averagePrecision).toBeGreaterThan(0);
    const without = runBacktest(makeWorld(false), options);
    expect(without.points[0]?.scorers['model-max-epss']).toBeUndefined();
  }, 60_000);
});
