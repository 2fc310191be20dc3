import { describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../../test/support/postgres.js';
import { openStore } from '../../store/index.js';
import { KEV_SCENARIO_COUNTS, runKevScenario } from './__fixtures__/kev-scenario.js';

const available = await isPostgresAvailable();

describe.skipIf(!available)('finding history on PostgreSQL', () => {
  it('answers the KEV-past-due question day by day as on SQLite', async () => {
    const schema = await makeTestSchema();
    const store = await openStore({ databaseUrl: schema.url });
    try {
      expect(await runKevScenario(store)).toEqual(KEV_SCENARIO_COUNTS);
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});
