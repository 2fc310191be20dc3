import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { findingsPageCases } from '../../../test/support/findings-page-cases.js';
import { openStore, type Store } from '../index.js';

describe('loadFindingsPage on SQLite', () => {
  let home: string;
  let store: Store;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'patchcast-findings-page-'));
    store = await openStore({ home, databaseUrl: '' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(home, { recursive: true, force: true });
  });
  findingsPageCases(() => store);
});
