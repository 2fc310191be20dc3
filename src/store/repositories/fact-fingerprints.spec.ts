import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getChangedFacts,
  loadFactFingerprints,
  openStore,
  type Store,
  saveFactFingerprints,
} from '../index.js';

describe('fact fingerprints', () => {
  const home = mkdtempSync(join(tmpdir(), 'pc-facts-'));
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ home, databaseUrl: '' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('names what changed or is new, and keeps each kind apart', async () => {
    await saveFactFingerprints(
      store.db,
      'vulnerability',
      new Map([
        ['CVE-1', 'a'],
        ['CVE-2', 'b'],
      ]),
    );
    await saveFactFingerprints(store.db, 'asset', new Map([['CVE-1', 'asset-side']]));
    const stored = await loadFactFingerprints(store.db, 'vulnerability');
    expect([...stored]).toEqual([
      ['CVE-1', 'a'],
      ['CVE-2', 'b'],
    ]);
    const current = new Map([
      ['CVE-1', 'a'],
      ['CVE-2', 'c'],
      ['CVE-3', 'd'],
    ]);
    expect(getChangedFacts(stored, current)).toEqual(['CVE-2', 'CVE-3']);
  });

  it('removes ids a whole pass no longer saw only with replace', async () => {
    await saveFactFingerprints(store.db, 'vulnerability', new Map([['CVE-2', 'c']]));
    expect((await loadFactFingerprints(store.db, 'vulnerability')).size).toBe(2);
    await saveFactFingerprints(store.db, 'vulnerability', new Map([['CVE-2', 'c']]), { replace: true });
    expect([...(await loadFactFingerprints(store.db, 'vulnerability'))]).toEqual([['CVE-2', 'c']]);
    expect((await loadFactFingerprints(store.db, 'asset')).get('CVE-1')).toBe('asset-side');
  });
});
