import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './connect.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('SQLite', async () => {
  const home = mkdtempSync(join(tmpdir(), 'patchcast-store-'));
  const store = await openStore({ home, databaseUrl: '' });
  return { store, cleanup: async () => rmSync(home, { recursive: true, force: true }) };
});
