import { sql } from 'kysely';
import type { FindingStatus } from '../../core/types.js';
import type { Db } from '../rows.js';
import type { FindingHistoryTable } from '../schema.js';
import { type BulkColumn, insertRows } from './bulk.js';

/** One finding's state as recorded on one day. */
export interface FindingDayState {
  findingId: string;
  day: string;
  assetId: string;
  vulnerabilityId: string;
  status: FindingStatus;
  risk: number | null;
  dueDate: string | null;
  /** on-track, due-soon, breached, paused or closed, as judged that day. */
  slaState: string;
  slaRule: string | null;
  /** Listed in CISA KEV that day. */
  kev: boolean;
}

const COLUMNS: readonly BulkColumn[] = [
  { name: 'finding_id', type: 'text' },
  { name: 'day', type: 'text' },
  { name: 'asset_id', type: 'text' },
  { name: 'vulnerability_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'risk', type: 'real' },
  { name: 'due_date', type: 'text' },
  { name: 'sla_state', type: 'text' },
  { name: 'sla_rule', type: 'text' },
  { name: 'kev', type: 'integer' },
];

const SLA_COLUMNS = ['sla_state', 'sla_rule', 'kev'];
const STATE_COLUMNS = ['status', 'risk', 'due_date'];

/**
 * Records findings' states for their day, one row per finding and day. With `keepSla`, a row already
 * recorded that day keeps its SLA state, rule and KEV flag (the SLA step wrote them) and only status,
 * risk and due date are refreshed.
 */
export async function upsertFindingHistory(
  db: Db,
  states: readonly FindingDayState[],
  options: { keepSla?: boolean } = {},
): Promise<void> {
  const refreshed = options.keepSla ? STATE_COLUMNS : [...STATE_COLUMNS, ...SLA_COLUMNS];
  const suffix = `on conflict (finding_id, day) do update set ${refreshed.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  await insertRows(db, 'finding_history', COLUMNS, states.map(toValues), suffix);
}

function toValues(s: FindingDayState): unknown[] {
  return [
    s.findingId,
    s.day,
    s.assetId,
    s.vulnerabilityId,
    s.status,
    s.risk,
    s.dueDate,
    s.slaState,
    s.slaRule,
    s.kev ? 1 : 0,
  ];
}

/** Each finding's latest recorded state on or before `day`: the fleet as it stood that day. */
export async function loadFindingStatesAsOf(
  db: Db,
  day: string,
  findingIds?: readonly string[],
): Promise<FindingDayState[]> {
  let query = asOf(db, day).selectAll('h');
  if (findingIds) query = query.where('h.finding_id', 'in', findingIds.length ? [...findingIds] : ['']);
  const rows = await query.orderBy('h.finding_id').execute();
  return rows.map(fromRow);
}

/**
 * The latest state recorded on or before `day` of each of these findings, by finding id: the
 * same rows as `loadFindingStatesAsOf`, found through each finding's own history (its primary key)
 * rather than the whole table's, a thousand findings a query.
 */
export async function loadLatestFindingStates(
  db: Db,
  day: string,
  findingIds: readonly string[],
): Promise<Map<string, FindingDayState>> {
  const out = new Map<string, FindingDayState>();
  const unique = [...new Set(findingIds)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db
      .selectFrom('finding_history as h')
      .selectAll('h')
      .where('h.finding_id', 'in', unique.slice(i, i + 1000))
      .where('h.day', '=', (eb) =>
        eb
          .selectFrom('finding_history as l')
          .select((e) => e.fn.max('l.day').as('last_day'))
          .whereRef('l.finding_id', '=', 'h.finding_id')
          .where('l.day', '<=', day),
      )
      .execute();
    for (const r of rows) out.set(r.finding_id, fromRow(r));
  }
  return out;
}

export interface HistoryCountFilter {
  /** Only findings listed in CISA KEV that day (true) or not (false). */
  kev?: boolean;
  /** Only findings past their due date that day, with the clock running (not paused, not closed). */
  breached?: boolean;
  /** Statuses that count; `open` when omitted. */
  status?: FindingStatus[];
  assetId?: string;
}

/**
 * How many findings matched the filter as of `day`, judged from each finding's latest state recorded
 * on or before it. `breached` compares the recorded due date with `day` itself, so a day between two
 * recordings is still judged right for findings whose deadline passed in between.
 */
export async function countFindingsAsOf(
  db: Db,
  day: string,
  filter: HistoryCountFilter = {},
): Promise<number> {
  let query = asOf(db, day).where('h.status', 'in', filter.status ?? ['open']);
  if (filter.kev !== undefined) query = query.where('h.kev', '=', filter.kev ? 1 : 0);
  if (filter.assetId) query = query.where('h.asset_id', '=', filter.assetId);
  if (filter.breached !== undefined) {
    const breached = sql<boolean>`(h.due_date is not null and h.due_date < ${day} and h.sla_state not in ('paused', 'closed'))`;
    query = query.where(filter.breached ? breached : sql<boolean>`not ${breached}`);
  }
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every recorded day of one finding, oldest first. */
export async function listFindingHistory(db: Db, findingId: string): Promise<FindingDayState[]> {
  const rows = await db
    .selectFrom('finding_history')
    .selectAll()
    .where('finding_id', '=', findingId)
    .orderBy('day')
    .execute();
  return rows.map(fromRow);
}

/** finding_history rows that are each finding's latest on or before `day`. */
function asOf(db: Db, day: string) {
  return db.selectFrom('finding_history as h').innerJoin(
    (eb) =>
      eb
        .selectFrom('finding_history')
        .select(['finding_id', (e) => e.fn.max('day').as('last_day')])
        .where('day', '<=', day)
        .groupBy('finding_id')
        .as('l'),
    (join) => join.onRef('l.finding_id', '=', 'h.finding_id').onRef('l.last_day', '=', 'h.day'),
  );
}

function fromRow(r: FindingHistoryTable): FindingDayState {
  return {
    findingId: r.finding_id,
    day: r.day,
    assetId: r.asset_id,
    vulnerabilityId: r.vulnerability_id,
    status: r.status as FindingStatus,
    risk: r.risk,
    dueDate: r.due_date,
    slaState: r.sla_state,
    slaRule: r.sla_rule,
    kev: Number(r.kev) === 1,
  };
}
