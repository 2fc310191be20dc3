import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { toDay } from '../../predict/index.js';
import { makeSyntheticHistory } from '../../predict/synthetic-history.js';
import type { Store } from '../../store/index.js';
import { loadModelStatus, loadScoreDrift } from './load-model-status.js';
import { retrainModel } from './retrain-model.js';
import { storeModelScores } from './store-model-scores.js';

describe('model services', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterEach(() => cleanup());

  it('shows a viewer the shipped model on a fresh store, with no retrain and no stored scores', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    const status = await loadModelStatus(viewer);
    expect(status.current.version).toBe(status.card.version);
    expect(status.horizonDays).toBe(30);
    expect(status.evaluations).toEqual([]);
    expect(status.lastScoreDay).toBeNull();
    expect(await loadScoreDrift(viewer, { days: 14 })).toEqual([]);
  });

  it('forbids a viewer to retrain before any work is done', async () => {
    const history = { lastDay: 0 } as Parameters<typeof retrainModel>[1]['history'];
    await expect(
      retrainModel(makeServiceDeps(store, 'viewer'), { history, asOf: 20_000 }),
    ).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    expect(await countRows(store, ['model_evaluations', 'audit_events'])).toEqual({
      model_evaluations: 0,
      audit_events: 0,
    });
  });

  it("stores a day's scores for an operator (read back by the drift service), not for a viewer", async () => {
    const history = makeSyntheticHistory({ cves: 400 });
    const day = toDay('2024-06-01');
    await expect(storeModelScores(makeServiceDeps(store, 'viewer'), { history, day })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    const operator = makeServiceDeps(store, 'operator');
    const { scores, stored } = await storeModelScores(operator, { history, day });
    expect(stored.day).toBe('2024-06-01');
    expect(stored.scored).toBe(scores.cves.length);
    expect(scores.cves.length).toBeGreaterThan(0);
    const [drift] = await loadScoreDrift(makeServiceDeps(store, 'viewer'), { days: 1 });
    expect(drift).toMatchObject({ day: '2024-06-01', scored: scores.cves.length });
  });
});
