import { countFindingsAsOf, resolveFindingsNotIn, type Store } from '../../../store/index.js';
import { rule } from '../../../risk/sla/__fixtures__/contexts.js';
import { insertException, makeException, seedStore } from '../../../risk/sla/__fixtures__/store.js';
import { applyPolicies, type Policies } from '../apply-policies.js';

export const POLICIES: Policies = {
  // CISA's due dates as they bind federal agencies (BOD 22-01): the clock starts at the listing.
  sla: [
    rule({ id: 'kev', when: { kev: true }, due: 'kev-due-date', clockStart: 'kev-listed' }),
    rule({ id: 'default', due: 90 }),
  ],
  exceptions: { maxDays: 90, requireApprover: true, pausesSla: true },
};

/**
 * Five days of a fleet, with a fake clock: CVE-2018-6789 (KEV, due 2026-01-31 here) on orders-db-01
 * and cache-01; cache-01 is excepted from 2026-02-02; orders-db-01 is patched on 2026-02-03; nothing
 * runs on 2026-01-31. Returns the KEV findings open past their due date as of each day asked.
 */
export async function runKevScenario(store: Store): Promise<Record<string, number>> {
  const runDay = (iso: string) => store.db.transaction().execute((db) => applyPolicies(db, new Date(iso), POLICIES));
  const f = await seedStore(store.db, '2026-01-31');
  await runDay('2026-01-30T06:00:00Z');
  await runDay('2026-02-01T06:00:00Z');
  await insertException(
    store.db,
    makeException({ scope: 'asset', assetId: 'cache-01', vulnerabilityId: undefined, createdAt: '2026-02-02T00:00:00.000Z', expiresAt: '2026-02-20T23:59:59.999Z' }),
  );
  await runDay('2026-02-02T06:00:00Z');
  await resolveFindingsNotIn(store.db, 'orders-db-01', [f.openssl.id, f.vexed.id], '2026-02-03T05:00:00.000Z');
  await runDay('2026-02-03T06:00:00Z');
  const out: Record<string, number> = {};
  for (const day of ['2026-01-29', '2026-01-31', '2026-02-01', '2026-02-02', '2026-02-03'])
    out[day] = await countFindingsAsOf(store.db, day, { kev: true, breached: true });
  return out;
}

/** What the scenario must answer: nothing before; due on the 31st is not late; 2, then 1 (excepted), then 0 (fixed). */
export const KEV_SCENARIO_COUNTS = { '2026-01-29': 0, '2026-01-31': 0, '2026-02-01': 2, '2026-02-02': 1, '2026-02-03': 0 };
