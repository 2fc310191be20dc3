import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import type { Store } from '../../store/index.js';
import { runSixtyDays } from './__fixtures__/sixty-days.js';

describe('finding history as change intervals, against the daily rows it replaced', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterEach(async () => cleanup());

  it('answers every point-in-time question of 60 scripted days as the daily rows did, with a row per change', async () => {
    const { rows, oracleRows, mismatches } = await runSixtyDays(store);
    expect(mismatches).toEqual([]);
    expect(oracleRows).toBeGreaterThan(150);
    expect(rows).toBeLessThan(oracleRows / 5);
  });
});
