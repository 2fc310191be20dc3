import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pypiAdvisory } from '../../../test/support/advisories.js';
import { addPypiHost, makeTempStore } from '../../../test/support/store.js';
import { loadConfig } from '../../config/index.js';
import {
  countPendingMatchKeys,
  listFindings,
  loadUnmatchedAssets,
  type Store,
  upsertVulnerabilities,
} from '../../store/index.js';
import { updateFindings } from './update-findings.js';

const config = loadConfig(undefined, {});

/** The store, with its `transaction()` failing from the nth call on (match, VEX, policies). */
function failingFrom(store: Store, nth: number): Store {
  let calls = 0;
  const db = new Proxy(store.db, {
    get(target, key) {
      if (key === 'transaction' && ++calls >= nth) throw new Error('policies failed');
      // Kysely keeps private fields: call its methods on the real instance.
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...store, db } as Store;
}

describe('updateFindings with pending advisory keys', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await addPypiHost(store, 'web-1', [['django', '1.4.1']], '2026-01-01T00:00:00.000Z');
  });
  afterEach(() => cleanup());

  it('a whole match first; then only pending keys, consumed once every step succeeded', async () => {
    expect(await loadUnmatchedAssets(store.db)).toEqual(['web-1']);
    await updateFindings(store, { now: new Date('2026-01-02T00:00:00Z'), config });
    expect(await loadUnmatchedAssets(store.db)).toEqual([]);

    await upsertVulnerabilities(store.db, [pypiAdvisory('TEST-DJANGO-1', 'django', '1.4.3')]);
    expect(await countPendingMatchKeys(store.db)).toBe(1);
    await expect(
      updateFindings(failingFrom(store, 3), {
        now: new Date('2026-01-03T00:00:00Z'),
        config,
        advisoryKeys: 'pending',
      }),
    ).rejects.toThrow('policies failed');
    // The match itself landed, but the keys stay queued for the retry.
    expect(await listFindings(store.db)).toHaveLength(1);
    expect(await countPendingMatchKeys(store.db)).toBe(1);

    const retry = await updateFindings(store, {
      now: new Date('2026-01-04T00:00:00Z'),
      config,
      advisoryKeys: 'pending',
    });
    expect(retry.matched).toMatchObject({ distinctPackages: 1 });
    expect(await countPendingMatchKeys(store.db)).toBe(0);
    expect((await listFindings(store.db)).map((f) => [f.assetId, f.vulnerabilityId])).toEqual([
      ['web-1', 'TEST-DJANGO-1'],
    ]);
  });
});
