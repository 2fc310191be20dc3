import { describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../../test/support/postgres.js';
import { openStore } from '../../store/index.js';
import { runSixtyDays } from './__fixtures__/sixty-days.js';

const available = await isPostgresAvailable();

describe.skipIf(!available)('finding history as change intervals on PostgreSQL', () => {
  it('answers every point-in-time question of 60 scripted days as the daily rows did', async () => {
    const schema = await makeTestSchema();
    const store = await openStore({ databaseUrl: schema.url });
    try {
      const { rows, oracleRows, mismatches } = await runSixtyDays(store);
      expect(mismatches).toEqual([]);
      expect(rows).toBeLessThan(oracleRows / 5);
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});
