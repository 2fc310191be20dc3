import { describe, expect, it } from 'vitest';
import { runBacktest } from './backtest.js';
import { mapOntoEpssScale } from './epss-scale.js';
import { scoreAsOf, trainExploitModel } from './exploit-model.js';
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
  it("scores risk scoring's max(model on EPSS's scale, EPSS) and the old max(raw model, EPSS) beside the model and EPSS", () => {
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
      expect.arrayContaining(['model', 'epss', 'model-max-epss', 'model-scaled-max-epss']),
    );
    expect(withEpss.scorerLabels['model-max-epss']).toBe('max(raw model, EPSS) (before)');
    expect(withEpss.scorerLabels['model-scaled-max-epss']).toBe(
      "max(model on EPSS's scale, EPSS) (risk scoring)",
    );
    expect(point?.scorers['model-scaled-max-epss']?.averagePrecision).toBeGreaterThan(0);
    const without = runBacktest(makeWorld(false), options);
    expect(without.points[0]?.scorers['model-max-epss']).toBeUndefined();
    expect(without.points[0]?.scorers['model-scaled-max-epss']).toBeUndefined();
  }, 60_000);
});

describe('trainExploitModel: the EPSS scale', () => {
  it("fits the map onto EPSS's scale on the training day's population, and only where EPSS exists", () => {
    const world = makeWorld(true);
    const trained = trainExploitModel(world, { asOf: T, horizon: 30, epss: false, ...SMALL_TRAIN });
    const scale = trained.epssScale;
    expect(scale).toMatchObject({ asOf: '2024-03-01', epssDate: '2024-02-29' });
    // Every scored CVE with an EPSS score counts (EPSS 0 is no score); the map keeps the model's order.
    const scores = scoreAsOf(world, trained, T);
    const sorted = Float64Array.from(scores.probabilities).sort();
    expect(scale?.size).toBeGreaterThan(900);
    const mapped = Array.from(sorted, (p) => mapOntoEpssScale(scale!, p));
    for (let i = 1; i < mapped.length; i++)
      if (sorted[i]! > sorted[i - 1]!) expect(mapped[i]!).toBeGreaterThan(mapped[i - 1]!);
    expect(
      trainExploitModel(makeWorld(false), { asOf: T, horizon: 30, epss: false, ...SMALL_TRAIN }).epssScale,
    ).toBe(undefined);
  }, 60_000);
});
