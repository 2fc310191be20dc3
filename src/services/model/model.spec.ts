import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import type { Store } from '../../store/index.js';
import { loadModelStatus, loadScoreDrift } from './load-model-status.js';
import { retrainModel } from './retrain-model.js';

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
});
