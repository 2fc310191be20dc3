import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../test/support/postgres.js';
import type { FindingStatus } from '../core/types.js';
import {
  countFindingsAsOf,
  type HistoryCountFilter,
  loadFindingStatesAsOf,
  migrateTo,
  migrateToLatest,
  openStore,
  type Store,
} from './index.js';
import { insertRows } from './repositories/bulk.js';

/** A daily row of migration 0005's `finding_history`. */
type DailyRow = [
  string,
  string,
  string,
  string,
  string,
  number | null,
  string | null,
  string,
  string | null,
  number,
];

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);

/** Daily rows of 6 findings over 20 days, on most days, with runs of equal days (seeded, repeatable). */
function makeDailyRows(seed: number): DailyRow[] {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
  const rows: DailyRow[] = [];
  for (let f = 0; f < 6; f++) {
    let state = {
      status: 'open',
      risk: 0.1 as number | null,
      due: day(8 + f) as string | null,
      sla: 'on-track',
      kev: 0,
    };
    for (let d = next(4); d < 20; d++) {
      if (next(5) === 0) continue; // no run that day
      if (next(3) === 0)
        state = {
          status: ['open', 'excepted', 'fixed', 'suppressed'][next(4)] as string,
          risk: next(4) === 0 ? null : next(10) / 10,
          due: next(4) === 0 ? null : day(next(20)),
          sla: ['on-track', 'due-soon', 'breached', 'paused', 'closed'][next(5)] as string,
          kev: next(2),
        };
      rows.push([
        `f${f}`,
        day(d),
        `a${f % 2}`,
        'V-1',
        state.status,
        state.risk,
        state.due,
        state.sla,
        'default',
        state.kev,
      ]);
    }
  }
  return rows;
}

const COLUMNS = [
  'finding_id',
  'day',
  'asset_id',
  'vulnerability_id',
  'status',
  'risk',
  'due_date',
  'sla_state',
  'sla_rule',
  'kev',
];
const TYPES = ['text', 'text', 'text', 'text', 'text', 'real', 'text', 'text', 'text', 'integer'] as const;
const FILTERS: HistoryCountFilter[] = [
  {},
  { status: ['excepted', 'fixed'] },
  { kev: true },
  { kev: false, breached: true },
  { breached: false, assetId: 'a1' },
];

/** What the daily rows answered: each finding's latest row on or before the day. */
function getDailyAnswers(rows: readonly DailyRow[], asOf: string) {
  const latest = new Map<string, DailyRow>();
  for (const r of rows) if (r[1] <= asOf && (latest.get(r[0])?.[1] ?? '') < r[1]) latest.set(r[0], r);
  const counts = FILTERS.map(
    (f) =>
      [...latest.values()].filter(
        (r) =>
          (f.status ?? ['open']).includes(r[4] as FindingStatus) &&
          (f.kev === undefined || (r[9] === 1) === f.kev) &&
          (f.assetId === undefined || r[2] === f.assetId) &&
          (f.breached === undefined ||
            (r[6] !== null && r[6] < asOf && r[7] !== 'paused' && r[7] !== 'closed') === f.breached),
      ).length,
  );
  const states = [...latest.values()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map((r) => ({
      findingId: r[0],
      day: r[1],
      status: r[4],
      risk: r[5],
      dueDate: r[6],
      slaState: r[7],
      kev: r[9] === 1,
    }));
  return { counts, states };
}

function describeUpgrade(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>) {
  describe(`migration 0020 on ${name}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => cleanup?.());

    it('turns daily rows into intervals, answering every day as the daily rows did', async () => {
      const opened = await open();
      cleanup = opened.cleanup;
      const { store } = opened;
      await migrateTo(store, '0019-rollout');
      const rows = [
        ...makeDailyRows(7),
        ...makeDailyRows(11).map((r) => [`g${r[0]}`, ...r.slice(1)] as DailyRow),
      ];
      await insertRows(
        store.db,
        'finding_history',
        COLUMNS.map((c, i) => ({ name: c, type: TYPES[i] ?? 'text' })),
        rows,
      );
      await migrateToLatest(store);
      const stored = await store.db
        .selectFrom('finding_history')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      expect(Number(stored?.n)).toBeLessThan(rows.length);
      for (let d = 0; d <= 21; d++) {
        const expected = getDailyAnswers(rows, day(d));
        const counts = [];
        for (const f of FILTERS) counts.push(await countFindingsAsOf(store.db, day(d), f));
        expect(counts, day(d)).toEqual(expected.counts);
        const states = (await loadFindingStatesAsOf(store.db, day(d))).map((s) => ({
          findingId: s.findingId,
          status: s.status,
          risk: s.risk === null ? null : Math.round(s.risk * 10) / 10,
          dueDate: s.dueDate,
          slaState: s.slaState,
          kev: s.kev,
        }));
        expect(states, day(d)).toEqual(expected.states.map(({ day: _, ...s }) => s));
      }
    });
  });
}

describeUpgrade('SQLite', async () => {
  const home = mkdtempSync(join(tmpdir(), 'patchcast-0020-'));
  const store = await openStore({ home, databaseUrl: '', migrate: false });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
});

const available = await isPostgresAvailable();
if (available)
  describeUpgrade('PostgreSQL', async () => {
    const schema = await makeTestSchema();
    const store = await openStore({ databaseUrl: schema.url, migrate: false });
    return {
      store,
      async cleanup() {
        await store.close();
        await schema.drop();
      },
    };
  });
