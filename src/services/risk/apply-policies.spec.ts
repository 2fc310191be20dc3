import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { insertException, makeException, seedStore } from '../../risk/sla/__fixtures__/store.js';
import { listFindings, loadFindingStatesAsOf, type Store } from '../../store/index.js';
import { POLICIES } from './__fixtures__/kev-scenario.js';
import { applyPolicies, type PolicyOptions } from './apply-policies.js';

describe('applyPolicies on a scope (the incremental pass)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterEach(async () => cleanup());

  const run = (iso: string, options: PolicyOptions = {}) =>
    store.db.transaction().execute((db) => applyPolicies(db, new Date(iso), POLICIES, options));

  it('reopens a finding outside the scope whose exception lapsed, and counts the fleet as a whole pass does', async () => {
    await seedStore(store.db, '2026-03-31');
    await insertException(
      store.db,
      makeException({
        id: 'EXC-CACHE',
        scope: 'asset',
        assetId: 'cache-01',
        vulnerabilityId: undefined,
        createdAt: '2026-02-01T00:00:00.000Z',
        expiresAt: '2026-02-10T23:59:59.999Z',
      }),
    );
    const first = await run('2026-02-02T06:00:00Z');
    expect(first.exceptions).toMatchObject({ excepted: 1, active: 1 });
    const scope = { scope: { assetIds: ['orders-db-01'] } };
    const quiet = await run('2026-02-03T06:00:00Z', scope);
    expect(quiet.history.recorded).toBe(0); // nothing changed: no history row
    const lapsed = await run('2026-02-12T06:00:00Z', scope);
    expect(lapsed.exceptions.reopened).toBe(1);
    expect(await listFindings(store.db, { ids: ['f-exim-cache'] })).toMatchObject([{ status: 'open' }]);
    const [state] = await loadFindingStatesAsOf(store.db, '2026-02-12', ['f-exim-cache']);
    expect(state).toMatchObject({ status: 'open', day: '2026-02-12', slaState: 'on-track' });
    const whole = await run('2026-02-12T07:00:00Z');
    expect(lapsed.sla).toEqual(whole.sla);
    expect(whole.history.recorded).toBe(0);
  });
});
