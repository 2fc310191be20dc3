import { describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../../test/support/postgres.js';
import { openStore } from '../../store/index.js';
import { runBatchScenario } from './__fixtures__/batch-fleet.js';

const available = await isPostgresAvailable();

describe.skipIf(!available)('updateFindings in batches of assets on PostgreSQL', () => {
  it('two assets a batch store the same as one batch', async () => {
    const schemas = [await makeTestSchema(), await makeTestSchema()];
    const stores = await Promise.all(schemas.map((s) => openStore({ databaseUrl: s.url })));
    try {
      const [small, whole] = stores as [(typeof stores)[number], (typeof stores)[number]];
      const batched = await runBatchScenario(small, 2);
      expect(batched).toEqual(await runBatchScenario(whole, 1000));
      expect(batched.findings.every((f) => f.status === 'fixed' || f.risk !== null)).toBe(true);
      expect(batched.history.length).toBeGreaterThan(0);
    } finally {
      for (const store of stores) await store.close();
      for (const schema of schemas) await schema.drop();
    }
  });
});
