import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../../test/support/shared-data.js';
import { loadAdvisoriesFromDir } from '../../services/reliability/reliability-advisories.js';
import type { Advisory } from './advisories.js';
import { buildFeatureTable, FEATURE_NAMES, type FeatureTable, getFeatures, toCandidate } from './features.js';
import { getHistoryStateAsOf } from './history-state.js';
import { loadReliabilityModel } from './model-file.js';
import { scorePatch } from './score.js';
import { CANDIDATES } from './scorer.js';
import { evaluateReliability } from './train.js';

const DATA = join(SHARED_DIR, 'data');
const ADVISORIES = 'data/debian_security_advisories.jsonl.gz';

describeWithShared(hasSharedData(ADVISORIES), ADVISORIES, 'reliability prior on ../shared/data', () => {
  let advisories: Advisory[];
  let table: FeatureTable;
  beforeAll(async () => {
    advisories = await loadAdvisoriesFromDir(DATA);
    table = buildFeatureTable(advisories);
  });

  it('loads every advisory with its label facts', () => {
    expect(advisories.length).toBe(8396);
    expect(advisories.filter((a) => a.isRegressionUpdate).length).toBe(248);
    expect(advisories.filter((a) => a.followedByRegression).length).toBe(239);
  });

  it('computes each row from the past only: dropping the future and hiding later labels changes nothing', () => {
    const width = FEATURE_NAMES.length;
    for (let i = 3000; i < table.advisories.length; i += 97) {
      const target = table.advisories[i]!;
      // Only what was published before the target's day; regressions revealed later are hidden.
      const past = advisories
        .filter((a) => a.day < target.day)
        .map((a) =>
          a.regressionDay >= target.day
            ? { ...a, followedByRegression: false, regressionDay: Number.NaN }
            : a,
        );
      const row = getFeatures(getHistoryStateAsOf(past, target.day), toCandidate(target));
      expect(row).toEqual(Array.from(table.features.subarray(i * width, (i + 1) * width)));
    }
  });

  it('beats the base rate on the 2020–2022 test period (reduced candidate set)', () => {
    const few = CANDIDATES.filter((c) => c.name === 'gbdt-d3' || c.name === 'logistic-l100');
    const { report } = evaluateReliability(table, few);
    const [base, , , chosen] = report.test;
    expect(base!.averagePrecision).toBeCloseTo(base!.baseRate, 12);
    expect(chosen!.averagePrecision).toBeGreaterThan(base!.baseRate);
    expect(chosen!.rocAuc).toBeGreaterThan(0.5);
  }, 30_000);

  it('ships a model whose features match and that scores an update with named factors', () => {
    const artifact = loadReliabilityModel();
    expect(artifact.card.features).toEqual([...FEATURE_NAMES]);
    const day = advisories[advisories.length - 1]!.day + 1;
    const score = scorePatch(
      artifact,
      advisories,
      {
        package: 'openssl',
        fixed: [{ release: 'bullseye', package: 'openssl', version: '1.1.1n-0+deb11u5' }],
      },
      day,
    );
    expect(score.probability).toBeGreaterThan(0);
    expect(score.probability).toBeLessThan(0.5);
    expect(score.factors.length).toBeGreaterThan(0);
  });
});
