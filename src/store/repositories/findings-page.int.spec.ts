import { afterAll, beforeAll, describe } from 'vitest';
import { findingsPageCases } from '../../../test/support/findings-page-cases.js';
import { isPostgresAvailable, makeTestSchema } from '../../../test/support/postgres.js';
import { openStore, type Store } from '../index.js';

const postgres = await isPostgresAvailable();
describe.skipIf(!postgres)('loadFindingsPage on PostgreSQL', () => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const schema = await makeTestSchema();
    drop = schema.drop;
    store = await openStore({ databaseUrl: schema.url });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });
  findingsPageCases(() => store);
});
