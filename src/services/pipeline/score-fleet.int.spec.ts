import { describe } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../../test/support/postgres.js';
import { openStore } from '../../store/index.js';
import { describeFleetRisk } from './score-fleet.contract.js';

const available = await isPostgresAvailable();

/** PostgreSQL stores `findings.risk` as `real` (float4): compared at that precision. */
const asFloat4 = (risk: number) => Math.fround(risk);

describe.skipIf(!available)('PostgreSQL', () => {
  describeFleetRisk(
    'PostgreSQL',
    async () => {
      const schema = await makeTestSchema();
      const store = await openStore({ databaseUrl: schema.url });
      return {
        store,
        async cleanup() {
          await store.close();
          await schema.drop();
        },
      };
    },
    asFloat4,
  );
});
