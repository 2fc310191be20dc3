import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps, SERVICE_NOW } from '../../../test/support/service-deps.js';
import { makeTempStore } from '../../../test/support/store.js';
import { FEED_SOURCES } from '../../feeds/index.js';
import { type Store, saveFeedState } from '../../store/index.js';
import { isSyncDue } from './scheduled-sync.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await makeTempStore());
});
afterEach(() => cleanup());

describe('scheduled syncs', () => {
  it('are due for sources never synced or synced longer ago than the interval, and only for the scheduled ones', async () => {
    const deps = makeServiceDeps(store, 'operator');
    expect(await isSyncDue(deps, { every: '6h' })).toBe(true);
    const hourAgo = new Date(SERVICE_NOW.getTime() - 3_600_000).toISOString();
    for (const source of FEED_SOURCES)
      await saveFeedState(store.db, { source: source.id, records: 1, lastSync: hourAgo, outcome: 'ok' });
    expect(await isSyncDue(deps, { every: '6h' })).toBe(false);
    expect(await isSyncDue(deps, { every: '30m' })).toBe(true);
    const dayAgo = new Date(SERVICE_NOW.getTime() - 86_400_000).toISOString();
    await saveFeedState(store.db, { source: 'kev', records: 1, lastSync: dayAgo, outcome: 'ok' });
    expect(await isSyncDue(deps, { every: '6h', sources: ['osv', 'epss'] })).toBe(false);
    expect(await isSyncDue(deps, { every: '6h', sources: ['kev'] })).toBe(true);
  });
});
