import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { seedStore } from '../../risk/sla/__fixtures__/store.js';
import {
  countFindingsAsOf,
  type FindingDayState,
  listFindingHistory,
  loadFindingStatesAsOf,
  type Store,
  upsertFindingHistory,
} from '../../store/index.js';
import { KEV_SCENARIO_COUNTS, POLICIES, runKevScenario } from './__fixtures__/kev-scenario.js';
import { applyPolicies } from './apply-policies.js';
import { recordFindingHistory } from './record-finding-history.js';

describe('finding history: the fleet as it stood on a past day', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterEach(async () => cleanup());

  const runDay = (iso: string) =>
    store.db.transaction().execute((db) => applyPolicies(db, new Date(iso), POLICIES));

  it('answers "how many KEV findings were open past their due date on a day", day by day with a fake clock', async () => {
    expect(await runKevScenario(store)).toEqual(KEV_SCENARIO_COUNTS);
    expect(await countFindingsAsOf(store.db, '2026-02-02', { kev: true, status: ['excepted'] })).toBe(1);
    expect(await countFindingsAsOf(store.db, '2026-02-03', { status: ['fixed'] })).toBe(1);
    expect(await countFindingsAsOf(store.db, '2026-02-10', { kev: false })).toBe(1); // openssl, from the last day recorded

    // One row per change: open from 01-30 (due-soon, then breached as the days pass), fixed on 02-03.
    const exim = await listFindingHistory(store.db, 'f-exim');
    expect(exim.map((s) => [s.day, s.status, s.slaState, s.dueDate])).toEqual([
      ['2026-01-30', 'open', 'due-soon', '2026-01-31'],
      ['2026-02-03', 'fixed', 'closed', '2026-01-31'],
    ]);
    const on = async (day: string) => (await loadFindingStatesAsOf(store.db, day, ['f-exim']))[0];
    expect(await on('2026-02-01')).toMatchObject({ status: 'open', slaState: 'breached', kev: true });
    expect(await on('2026-02-02')).toMatchObject({ status: 'open', slaState: 'breached' });
    await runDay('2026-02-04T06:00:00Z');
    expect((await listFindingHistory(store.db, 'f-exim')).length).toBe(2); // a fixed finding is recorded once
  });

  it('recording twice on one day keeps one row per finding, and keeps the SLA state the SLA step wrote', async () => {
    await seedStore(store.db, '2026-01-31');
    await runDay('2026-02-01T06:00:00Z');
    await recordFindingHistory(store.db, '2026-02-01');
    const rows = await listFindingHistory(store.db, 'f-exim');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ slaState: 'breached', slaRule: 'kev', kev: true });
  });
});

describe('finding history counts (property)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterAll(async () => cleanup());

  const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
  const state = fc.record({
    status: fc.constantFrom('open', 'excepted', 'fixed' as const),
    dueIn: fc.option(fc.integer({ min: 0, max: 12 })),
    slaState: fc.constantFrom('on-track', 'paused', 'closed'),
    kev: fc.boolean(),
  });
  /** Per recorded day (a subset of 12 days), a state for some of 4 findings. */
  const recordings = fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 11 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), state), { maxLength: 4 }),
    ),
    {
      maxLength: 8,
    },
  );

  it('a count as of a day equals counting each finding’s latest state on or before it', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordings,
        fc.integer({ min: 0, max: 13 }),
        fc.option(fc.boolean()),
        fc.option(fc.boolean()),
        async (recs, q, kev, breached) => {
          await store.db.deleteFrom('finding_history').execute();
          const rows = new Map<string, FindingDayState>();
          for (const [d, states] of recs)
            for (const [i, s] of states) {
              const row: FindingDayState = {
                findingId: `f${i}`,
                day: day(d),
                assetId: 'a',
                vulnerabilityId: 'v',
                status: s.status as FindingDayState['status'],
                risk: null,
                dueDate: s.dueIn === null ? null : day(d + s.dueIn),
                slaState: s.slaState,
                slaRule: null,
                kev: s.kev,
              };
              rows.set(`${row.findingId}|${row.day}`, row);
              await upsertFindingHistory(store.db, [row]);
            }
          const asOf = day(q);
          const latest = new Map<string, FindingDayState>();
          for (const r of rows.values())
            if (r.day <= asOf && (latest.get(r.findingId)?.day ?? '') < r.day) latest.set(r.findingId, r);
          const expected = [...latest.values()].filter(
            (r) =>
              r.status === 'open' &&
              (kev === null || r.kev === kev) &&
              (breached === null ||
                (r.dueDate !== null &&
                  r.dueDate < asOf &&
                  r.slaState !== 'paused' &&
                  r.slaState !== 'closed') === breached),
          ).length;
          const filter = { ...(kev === null ? {} : { kev }), ...(breached === null ? {} : { breached }) };
          expect(await countFindingsAsOf(store.db, asOf, filter)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
