import { type Selectable, sql } from 'kysely';
import type { FindingStatus } from '../../core/types.js';
import type { Db } from '../rows.js';
import type { FindingHistoryTable } from '../schema.js';
import { type BulkColumn, insertRows } from './bulk.js';

/**
 * Finding history as change intervals (migration 0020): a row is a finding's state from `day` until
 * `until`, written when the state changes; what changes with the days alone (the clock state, the
 * due date of a paused finding, a KEV listing) is derived for the day asked. See src/risk/readme.md.
 */

/** One finding's state as of one day. */
export interface FindingDayState {
  findingId: string;
  /** The day this state was recorded from (the interval's first day). */
  day: string;
  assetId: string;
  vulnerabilityId: string;
  status: FindingStatus;
  risk: number | null;
  dueDate: string | null;
  /** on-track, due-soon, breached, paused or closed, as judged on the day asked. */
  slaState: string;
  slaRule: string | null;
  /** Listed in CISA KEV on the day asked. */
  kev: boolean;
}

/** One history row: a finding's recorded state from `day` on, until `until` (exclusive) or now. */
export interface FindingInterval {
  findingId: string;
  day: string;
  until: string | null;
  assetId: string;
  vulnerabilityId: string;
  status: FindingStatus;
  risk: number | null;
  /** The due date on `day`; with `dueMoves`, a day later for each day after it. */
  dueDate: string | null;
  dueMoves: boolean;
  /** `running`: on-track, due-soon or breached by the day asked (`dueDate`, `warnDays`); else as recorded. */
  slaState: string;
  slaRule: string | null;
  warnDays: number | null;
  exceptionId: string | null;
  /** Listed in CISA KEV on the days from this one; null: not listed. */
  kevSince: string | null;
}

/** The SLA state of an interval whose clock state is derived for the day asked. */
export const RUNNING_SLA_STATE = 'running';
const DEFAULT_WARN_DAYS = 7;
const DAY_MS = 86_400_000;
const IDS_PER_QUERY = 1000;

const COLUMNS: readonly BulkColumn[] = [
  { name: 'finding_id', type: 'text' },
  { name: 'day', type: 'text' },
  { name: 'asset_id', type: 'text' },
  { name: 'vulnerability_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'risk', type: 'real' },
  { name: 'due_date', type: 'text' },
  { name: 'due_moves', type: 'integer' },
  { name: 'sla_state', type: 'text' },
  { name: 'sla_rule', type: 'text' },
  { name: 'warn_days', type: 'integer' },
  { name: 'exception_id', type: 'text' },
  { name: 'kev_since', type: 'text' },
];
const STATE_COLUMNS = ['status', 'risk', 'due_date'];
const SLA_COLUMNS = ['due_moves', 'sla_state', 'sla_rule', 'warn_days', 'exception_id', 'kev_since'];
const onConflict = (columns: readonly string[]) =>
  `on conflict (finding_id, day) do update set until = null, ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;

const diffDays = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const addDays = (day: string, n: number) => new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);

/** An interval's state as of `day` (which it covers): the clock state, moving due date and KEV listing that day. */
export function getIntervalStateOn(i: FindingInterval, day: string): FindingDayState {
  const dueDate = i.dueMoves && i.dueDate !== null ? addDays(i.dueDate, diffDays(i.day, day)) : i.dueDate;
  return {
    findingId: i.findingId,
    day: i.day,
    assetId: i.assetId,
    vulnerabilityId: i.vulnerabilityId,
    status: i.status,
    risk: i.risk,
    dueDate,
    slaState: i.slaState === RUNNING_SLA_STATE ? getClockState(dueDate, i.warnDays, day) : i.slaState,
    slaRule: i.slaRule,
    kev: i.kevSince !== null && i.kevSince <= day,
  };
}

function getClockState(dueDate: string | null, warnDays: number | null, day: string): string {
  if (dueDate === null) return 'on-track';
  const left = diffDays(day, dueDate);
  if (left < 0) return 'breached';
  return left <= (warnDays ?? DEFAULT_WARN_DAYS) ? 'due-soon' : 'on-track';
}

/**
 * The current interval (`until` null) of each finding of these assets, by finding id: what the
 * policies step compares the day's state with. Through the `(asset_id, until)` index.
 */
export async function loadCurrentFindingIntervals(
  db: Db,
  assetIds: readonly string[],
): Promise<Map<string, FindingInterval>> {
  const out = new Map<string, FindingInterval>();
  for (let i = 0; i < assetIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('finding_history')
      .selectAll()
      .where('asset_id', 'in', assetIds.slice(i, i + IDS_PER_QUERY))
      .where('until', 'is', null)
      .execute();
    for (const r of rows) out.set(r.finding_id, fromRow(r));
  }
  return out;
}

/**
 * Starts a new interval on `day` for each of these states (their `day` is ignored). `replaced`
 * says, by finding id, what the finding's current interval is: one that began before `day` ends
 * there (`until` = `day`), one that began on `day` is replaced; a finding not in it has none, and its
 * row is only inserted (the first pass of a fleet). Returns how many rows were written.
 */
export async function writeFindingIntervals(
  db: Db,
  day: string,
  states: readonly FindingInterval[],
  replaced: ReadonlyMap<string, FindingInterval>,
): Promise<number> {
  if (states.length === 0) return 0;
  const ending = states.filter((s) => (replaced.get(s.findingId)?.day ?? day) < day).map((s) => s.findingId);
  for (let i = 0; i < ending.length; i += IDS_PER_QUERY)
    await db
      .updateTable('finding_history')
      .set({ until: day })
      .where('finding_id', 'in', ending.slice(i, i + IDS_PER_QUERY))
      .where('until', 'is', null)
      .execute();
  const sameDay = states.filter((s) => replaced.get(s.findingId)?.day === day);
  const fresh = states.filter((s) => replaced.get(s.findingId)?.day !== day);
  const toRows = (list: readonly FindingInterval[]) => list.map((s) => toValues({ ...s, day }));
  await insertRows(db, 'finding_history', COLUMNS, toRows(fresh));
  await insertRows(
    db,
    'finding_history',
    COLUMNS,
    toRows(sameDay),
    onConflict([...STATE_COLUMNS, ...SLA_COLUMNS]),
  );
  return states.length;
}

/**
 * Records states as of their days, each exactly as given (its SLA state literally, KEV from its day
 * on): for data recorded day by day elsewhere, and for tests. A state on a day already recorded
 * replaces it; with `keepSla`, only status, risk and due date are replaced. Each finding's
 * intervals are then re-chained, so the days may come in any order.
 */
export async function upsertFindingHistory(
  db: Db,
  states: readonly FindingDayState[],
  options: { keepSla?: boolean } = {},
): Promise<void> {
  if (states.length === 0) return;
  const rows = states.map((s) =>
    toValues({
      ...s,
      dueMoves: false,
      warnDays: null,
      exceptionId: null,
      kevSince: s.kev ? s.day : null,
    }),
  );
  const refreshed = options.keepSla ? STATE_COLUMNS : [...STATE_COLUMNS, ...SLA_COLUMNS];
  await insertRows(db, 'finding_history', COLUMNS, rows, onConflict(refreshed));
  const ids = [...new Set(states.map((s) => s.findingId))];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY)
    await sql`update finding_history set until = (select min(n.day) from finding_history n
        where n.finding_id = finding_history.finding_id and n.day > finding_history.day)
      where finding_id in (${sql.join(ids.slice(i, i + IDS_PER_QUERY))})`.execute(db);
}

function toValues(s: Omit<FindingInterval, 'until'>): unknown[] {
  return [
    s.findingId,
    s.day,
    s.assetId,
    s.vulnerabilityId,
    s.status,
    s.risk,
    s.dueDate,
    s.dueMoves ? 1 : 0,
    s.slaState,
    s.slaRule,
    s.warnDays,
    s.exceptionId,
    s.kevSince,
  ];
}

/** Each finding's state as of `day` (from the interval covering it): the fleet as it stood that day. */
export async function loadFindingStatesAsOf(
  db: Db,
  day: string,
  findingIds?: readonly string[],
): Promise<FindingDayState[]> {
  if (findingIds) return [...(await loadLatestFindingStates(db, day, findingIds)).values()].sort(byFinding);
  const rows = await asOf(db, day).selectAll('h').orderBy('h.finding_id').execute();
  return rows.map((r) => getIntervalStateOn(fromRow(r), day));
}

const byFinding = (a: FindingDayState, b: FindingDayState) =>
  a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0;

/**
 * The state as of `day` of each of these findings, by finding id: the same as
 * `loadFindingStatesAsOf`, found through each finding's own intervals (the primary key), a
 * thousand findings a query.
 */
export async function loadLatestFindingStates(
  db: Db,
  day: string,
  findingIds: readonly string[],
): Promise<Map<string, FindingDayState>> {
  const out = new Map<string, FindingDayState>();
  const unique = [...new Set(findingIds)];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const rows = await asOf(db, day)
      .selectAll('h')
      .where('h.finding_id', 'in', unique.slice(i, i + IDS_PER_QUERY))
      .execute();
    for (const r of rows) out.set(r.finding_id, getIntervalStateOn(fromRow(r), day));
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
 * How many findings matched the filter as of `day`, judged from the interval covering it. `breached`
 * compares the due date with `day` itself (a paused finding, whose due date moves, is never breached).
 */
export async function countFindingsAsOf(
  db: Db,
  day: string,
  filter: HistoryCountFilter = {},
): Promise<number> {
  let query = asOf(db, day).where('h.status', 'in', filter.status ?? ['open']);
  const listed = sql<boolean>`(h.kev_since is not null and h.kev_since <= ${day})`;
  if (filter.kev !== undefined) query = query.where(filter.kev ? listed : sql<boolean>`not ${listed}`);
  if (filter.assetId) query = query.where('h.asset_id', '=', filter.assetId);
  if (filter.breached !== undefined) {
    const breached = sql<boolean>`(h.due_date is not null and h.due_date < ${day} and h.sla_state not in ('paused', 'closed'))`;
    query = query.where(filter.breached ? breached : sql<boolean>`not ${breached}`);
  }
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One finding's recorded states, oldest first: one per interval, as of its first day. */
export async function listFindingHistory(db: Db, findingId: string): Promise<FindingDayState[]> {
  const rows = await db
    .selectFrom('finding_history')
    .selectAll()
    .where('finding_id', '=', findingId)
    .orderBy('day')
    .execute();
  return rows.map((r) => getIntervalStateOn(fromRow(r), r.day));
}

/**
 * How many live findings (open, excepted, VEX-suppressed) are in each SLA state on `day`, from
 * their current intervals: the fleet's SLA counts after an incremental pass, without judging every
 * finding again. One grouped read of the current intervals (by state, due date and warning days).
 */
export async function countCurrentSlaStates(db: Db, day: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('finding_history')
    .select(['sla_state', 'due_date', 'warn_days', (eb) => eb.fn.countAll<number>().as('n')])
    .where('until', 'is', null)
    .where('status', 'in', ['open', 'excepted', 'suppressed'])
    .groupBy(['sla_state', 'due_date', 'warn_days'])
    .execute();
  const out: Record<string, number> = {};
  for (const r of rows) {
    const state =
      r.sla_state === RUNNING_SLA_STATE
        ? getClockState(r.due_date, r.warn_days === null ? null : Number(r.warn_days), day)
        : r.sla_state;
    out[state] = (out[state] ?? 0) + Number(r.n);
  }
  return out;
}

/** How many history rows there are: the growth the bench reports. */
export async function countFindingHistoryRows(db: Db): Promise<number> {
  const row = await db
    .selectFrom('finding_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The intervals that cover `day`. */
function asOf(db: Db, day: string) {
  return db
    .selectFrom('finding_history as h')
    .where('h.day', '<=', day)
    .where((eb) => eb.or([eb('h.until', 'is', null), eb('h.until', '>', day)]));
}

function fromRow(r: Selectable<FindingHistoryTable>): FindingInterval {
  return {
    findingId: r.finding_id,
    day: r.day,
    until: r.until,
    assetId: r.asset_id,
    vulnerabilityId: r.vulnerability_id,
    status: r.status as FindingStatus,
    risk: r.risk,
    dueDate: r.due_date,
    dueMoves: Number(r.due_moves) === 1,
    slaState: r.sla_state,
    slaRule: r.sla_rule,
    warnDays: r.warn_days === null ? null : Number(r.warn_days),
    exceptionId: r.exception_id,
    kevSince: r.kev_since,
  };
}
