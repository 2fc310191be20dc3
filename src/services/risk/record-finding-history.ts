import type { Finding, FindingStatus } from '../../core/types.js';
import {
  type Db,
  FINDING_BATCH_ASSETS,
  type FindingBatchOptions,
  type FindingInterval,
  getIntervalStateOn,
  listFindings,
  loadCurrentFindingIntervals,
  loadFindingAssetIds,
  RUNNING_SLA_STATE,
  writeFindingIntervals,
} from '../../store/index.js';
import { makeKevLookup } from './load-sla-contexts.js';

/**
 * Risk bands of the history: a new row is written when a finding's risk moves into another band, not
 * when it moves within one (EPSS moves most risks a little every day). Lower bounds, highest first.
 */
export const RISK_BANDS: readonly { band: string; min: number }[] = [
  { band: 'critical', min: 0.7 },
  { band: 'high', min: 0.4 },
  { band: 'medium', min: 0.1 },
  { band: 'low', min: 0 },
];

/** The band of a risk; `unscored` for none. */
export function getRiskBand(risk: number | null): string {
  if (risk === null) return 'unscored';
  return RISK_BANDS.find((b) => risk >= b.min)?.band ?? 'low';
}

/** A finding's state for the history, the day's SLA judgement included. */
export type HistoryState = Omit<FindingInterval, 'day' | 'until'>;

/**
 * Whether `next`, the state judged on `day`, says anything that `current` (the finding's current
 * interval) does not say of `day`: status, risk band, due date, SLA rule or state, exception or KEV
 * listing. What the days change alone (the clock state, a paused due date) is no change.
 */
export function isHistoryChanged(
  current: FindingInterval | undefined,
  next: HistoryState,
  day: string,
): boolean {
  if (!current) return true;
  const was = getIntervalStateOn(current, day);
  return (
    current.status !== next.status ||
    getRiskBand(current.risk) !== getRiskBand(next.risk) ||
    was.dueDate !== next.dueDate ||
    current.dueMoves !== next.dueMoves ||
    current.slaState !== next.slaState ||
    current.slaRule !== next.slaRule ||
    (current.slaState === RUNNING_SLA_STATE && current.warnDays !== next.warnDays) ||
    current.exceptionId !== next.exceptionId ||
    was.kev !== (next.kevSince !== null && next.kevSince <= day)
  );
}

/** Writes the states of `day` that changed from `current`; returns how many rows were written. */
export async function recordChangedStates(
  db: Db,
  day: string,
  states: readonly HistoryState[],
  current: ReadonlyMap<string, FindingInterval>,
): Promise<number> {
  const changed = states.filter((s) => isHistoryChanged(current.get(s.findingId), s, day));
  return writeFindingIntervals(
    db,
    day,
    changed.map((s) => ({ ...s, day, until: null })),
    current,
  );
}

/**
 * The findings of these assets whose current interval is live (open, excepted, suppressed) but that
 * are no longer among `live`: fixed or retired since. Each gets one closing state (status as stored,
 * SLA closed), so the history says when it closed without repeating it every day after; a finding
 * with no history is not recorded closed.
 */
export async function getClosedStates(
  db: Db,
  day: string,
  current: ReadonlyMap<string, FindingInterval>,
  live: ReadonlySet<string>,
): Promise<HistoryState[]> {
  const gone: string[] = [];
  for (const [id, i] of current) if (!live.has(id) && isLive(i.status)) gone.push(id);
  if (gone.length === 0) return [];
  const findings = await listFindings(db, { ids: gone, status: ['fixed', 'retired'] });
  const kev = await makeKevLookup(db, new Date(`${day}T23:59:59.999Z`))(findings);
  return findings.map((f) => getStoredState(f, day, kev.has(f.id)));
}

const isLive = (s: FindingStatus) => s === 'open' || s === 'excepted' || s === 'suppressed';

/**
 * Records every finding's state for `day` (`YYYY-MM-DD`) from its stored columns where it changed:
 * status, risk and due date as stored now. A finding whose current interval the SLA step wrote keeps
 * that interval's SLA judgement; otherwise the state is judged from the stored due date. A batch of
 * assets at a time. `applyPolicies` records as it judges; this is for a store updated otherwise.
 */
export async function recordFindingHistory(
  db: Db,
  day: string,
  options: FindingBatchOptions = {},
): Promise<{ recorded: number }> {
  const isKev = makeKevLookup(db, new Date(`${day}T23:59:59.999Z`));
  const size = Math.max(1, Math.floor(options.batchAssets ?? FINDING_BATCH_ASSETS));
  const assets = await loadFindingAssetIds(db);
  let recorded = 0;
  for (let i = 0; i < assets.length; i += size) {
    const chunk = assets.slice(i, i + size);
    const findings = await listFindings(db, { assetIds: chunk, status: ['open', 'excepted', 'suppressed'] });
    const current = await loadCurrentFindingIntervals(db, chunk);
    const kev = await isKev(findings);
    const states = findings.map((f) => keepSla(getStoredState(f, day, kev.has(f.id)), current.get(f.id)));
    const live = new Set(findings.map((f) => f.id));
    const closed = await getClosedStates(db, day, current, live);
    recorded += await recordChangedStates(db, day, [...states, ...closed], current);
  }
  return { recorded };
}

/** The SLA judgement of `current` on a state of the same status, else the state as it is. */
function keepSla(state: HistoryState, current: FindingInterval | undefined): HistoryState {
  if (!current || current.status !== state.status || current.slaState === 'closed') return state;
  const { dueMoves, slaState, slaRule, warnDays, kevSince } = current;
  return { ...state, dueMoves, slaState, slaRule, warnDays, kevSince };
}

/** A finding's state from its stored columns, when no SLA computation judged it. */
function getStoredState(f: Finding, day: string, kev: boolean): HistoryState {
  return {
    findingId: f.id,
    assetId: f.assetId,
    vulnerabilityId: f.vulnerabilityId,
    status: f.status,
    risk: f.risk ?? null,
    dueDate: f.dueDate ?? null,
    dueMoves: false,
    slaState: getStoredSlaState(f),
    slaRule: null,
    warnDays: null,
    exceptionId: f.suppression?.kind === 'exception' ? (f.suppression.ref ?? null) : null,
    kevSince: kev ? day : null,
  };
}

function getStoredSlaState(f: Finding): string {
  if (f.status === 'fixed' || f.status === 'retired' || f.status === 'suppressed') return 'closed';
  return f.status === 'excepted' ? 'paused' : RUNNING_SLA_STATE;
}
