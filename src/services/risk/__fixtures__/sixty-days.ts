import type { FindingStatus } from '../../../core/types.js';
import {
  countFindingsAsOf,
  type HistoryCountFilter,
  listFindings,
  loadFindingStatesAsOf,
  resolveFindingsNotIn,
  retireAssetRows,
  type Store,
  updateFindingRisks,
  upsertFindings,
  upsertKevEntries,
} from '../../../store/index.js';
import { makeFinding } from '../../../risk/sla/__fixtures__/contexts.js';
import { AT, insertException, makeException, seedStore } from '../../../risk/sla/__fixtures__/store.js';
import { addDays, type SlaEntry } from '../../../risk/sla/index.js';
import { applyPolicies, type Policies } from '../apply-policies.js';
import { rule } from '../../../risk/sla/__fixtures__/contexts.js';
import { getRiskBand } from '../record-finding-history.js';

const POLICIES: Policies = {
  sla: [
    rule({ id: 'kev', when: { kev: true }, due: 'kev-due-date', clockStart: 'kev-listed' }),
    rule({ id: 'high', when: { severity: ['high'] }, due: 25, warnDays: 3 }),
    rule({ id: 'default', due: 30 }),
  ],
  exceptions: { maxDays: 90, requireApprover: true, pausesSla: true },
};

/** Day n of the scenario (day 1 is 2026-01-11). */
export const scenarioDay = (n: number) => addDays('2026-01-10', n);

/** One finding's state as the daily rows of before migration 0020 recorded it. */
interface DailyRow {
  status: FindingStatus;
  risk: number | null;
  dueDate: string | null;
  slaState: string;
  slaRule: string | null;
  kev: boolean;
  assetId: string;
}

/**
 * The daily rows the history kept before change intervals, rebuilt as the oracle: each day, the SLA
 * step's entry of every live finding (its status, risk, due date, SLA state and rule, KEV flag), and
 * a finding closed (fixed, retired) recorded once, on the day it is first seen closed.
 */
function makeDailyOracle() {
  const rows = new Map<string, Map<string, DailyRow>>();
  const record = (id: string, day: string, row: DailyRow) => {
    const days = rows.get(id) ?? new Map<string, DailyRow>();
    days.set(day, row);
    rows.set(id, days);
  };
  const latest = (id: string, day: string): DailyRow | undefined => {
    let found: [string, DailyRow] | undefined;
    for (const [d, r] of rows.get(id) ?? []) if (d <= day && (!found || d > found[0])) found = [d, r];
    return found?.[1];
  };
  return { rows, record, latest };
}

/**
 * Sixty days of a small fleet with a fake clock, policed each morning: findings appear, one is
 * fixed, an asset is excepted (its clocks stop, its due dates move) and the exception lapses, a CVE
 * is listed in KEV, due dates pass, risk moves within and across bands, and an asset is retired.
 * Returns the history rows the intervals wrote and a check of every day's answers against the
 * daily oracle (empty when they all agree).
 */
export async function runSixtyDays(store: Store): Promise<{ rows: number; oracleRows: number; mismatches: string[] }> {
  const db = store.db;
  const oracle = makeDailyOracle();
  await seedStore(db, '2026-02-05');
  const live = new Set<string>();
  for (let n = 1; n <= 60; n++) {
    const day = scenarioDay(n);
    await applyEvents(store, n, day);
    const entries: SlaEntry[] = [];
    await db
      .transaction()
      .execute((tx) =>
        applyPolicies(tx, new Date(`${day}T06:00:00Z`), POLICIES, { onEntries: (e) => entries.push(...e) }),
      );
    const seen = new Set<string>();
    for (const { context, sla } of entries) {
      const f = context.finding;
      seen.add(f.id);
      live.add(f.id);
      oracle.record(f.id, day, {
        status: f.status,
        risk: f.risk ?? null,
        dueDate: sla.dueDate,
        slaState: sla.state,
        slaRule: sla.rule,
        kev: context.vulnerability.kev !== undefined,
        assetId: f.assetId,
      });
    }
    const gone = [...live].filter((id) => !seen.has(id));
    for (const f of await listFindings(db, { ids: gone })) {
      live.delete(f.id);
      const was = oracle.latest(f.id, day);
      oracle.record(f.id, day, {
        status: f.status,
        risk: f.risk ?? null,
        dueDate: f.dueDate ?? null,
        slaState: 'closed',
        slaRule: null,
        kev: was?.kev ?? false,
        assetId: f.assetId,
      });
    }
  }
  const mismatches: string[] = [];
  for (let n = 0; n <= 61; n++) mismatches.push(...(await compareDay(store, scenarioDay(n), oracle)));
  const counted = await db
    .selectFrom('finding_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  let oracleRows = 0;
  for (const days of oracle.rows.values()) oracleRows += days.size;
  return { rows: Number(counted?.n ?? 0), oracleRows, mismatches };
}

/** The day's events, before the morning's policies run. */
async function applyEvents(store: Store, n: number, day: string): Promise<void> {
  const db = store.db;
  const at = `${day}T05:00:00.000Z`;
  if (n === 1) await updateFindingRisks(db, [{ id: 'f-openssl', risk: 0.05 }, { id: 'f-exim', risk: 0.45 }]);
  if (n === 5)
    await upsertFindings(db, [
      makeFinding({ id: 'f-curl', assetId: 'cache-01', packageName: 'curl', vulnerabilityId: 'DEBIAN-CVE-2023-0464', firstSeen: at, lastSeen: at }),
    ]);
  // The whole of cache-01 is excepted from day 8 to the end of day 24: its clocks stop.
  if (n === 8)
    await insertException(
      db,
      makeException({ id: 'EXC-CACHE', scope: 'asset', assetId: 'cache-01', vulnerabilityId: undefined, createdAt: at, expiresAt: `${scenarioDay(24)}T23:59:59.999Z` }),
    );
  if (n === 12) await updateFindingRisks(db, [{ id: 'f-openssl', risk: 0.08 }]); // within its band
  if (n === 15)
    await upsertKevEntries(db, [{ cveId: 'CVE-2023-0464', dateAdded: day, dueDate: scenarioDay(36), ransomware: false }]);
  if (n === 20) await updateFindingRisks(db, [{ id: 'f-openssl', risk: 0.52 }, { id: 'f-exim', risk: 0.47 }]); // across, within
  if (n === 30) await resolveFindingsNotIn(db, 'orders-db-01', ['f-openssl', 'f-exim-base'], at);
  if (n === 41) await retireAssetRows(db, 'cache-01', at);
  if (n === 50) await updateFindingRisks(db, [{ id: 'f-openssl', risk: 0.75 }]);
}

const FILTERS: Array<[string, HistoryCountFilter]> = [
  ['open', {}],
  ['excepted', { status: ['excepted'] }],
  ['fixed', { status: ['fixed'] }],
  ['retired', { status: ['retired'] }],
  ['suppressed', { status: ['suppressed'] }],
  ['open kev', { kev: true }],
  ['open not kev', { kev: false }],
  ['open kev breached', { kev: true, breached: true }],
  ['open breached', { breached: true }],
  ['live not breached', { status: ['open', 'excepted'], breached: false }],
  ['open on cache-01', { assetId: 'cache-01' }],
  ['open breached on orders-db-01', { assetId: 'orders-db-01', breached: true }],
];

async function compareDay(store: Store, day: string, oracle: ReturnType<typeof makeDailyOracle>): Promise<string[]> {
  const out: string[] = [];
  const latest = [...oracle.rows.keys()].flatMap((id) => {
    const r = oracle.latest(id, day);
    return r ? [{ id, ...r }] : [];
  });
  for (const [name, filter] of FILTERS) {
    const expected = latest.filter(
      (r) =>
        (filter.status ?? ['open']).includes(r.status) &&
        (filter.kev === undefined || r.kev === filter.kev) &&
        (filter.assetId === undefined || r.assetId === filter.assetId) &&
        (filter.breached === undefined ||
          (r.dueDate !== null && r.dueDate < day && r.slaState !== 'paused' && r.slaState !== 'closed') ===
            filter.breached),
    ).length;
    const got = await countFindingsAsOf(store.db, day, filter);
    if (got !== expected) out.push(`${day} ${name}: ${got}, daily rows say ${expected}`);
  }
  const states = new Map((await loadFindingStatesAsOf(store.db, day)).map((s) => [s.findingId, s]));
  for (const r of latest) {
    const s = states.get(r.id);
    const want = [r.status, getRiskBand(r.risk), r.dueDate, r.slaState, r.slaRule, r.kev];
    const got = s ? [s.status, getRiskBand(s.risk), s.dueDate, s.slaState, s.slaRule, s.kev] : [];
    if (JSON.stringify(want) !== JSON.stringify(got))
      out.push(`${day} ${r.id}: ${JSON.stringify(got)}, daily rows say ${JSON.stringify(want)}`);
  }
  if (states.size !== latest.length) out.push(`${day}: ${states.size} findings, daily rows say ${latest.length}`);
  return out;
}

export { AT };
