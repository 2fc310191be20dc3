import { compareText } from '../../core/collections.js';
import { computeSla } from '../../risk/sla/compute-sla.js';
import { addDays, DAY_MS, getDay, getDayOf } from '../../risk/sla/dates.js';
import { makeSlaJudge } from '../../risk/sla/make-sla-judge.js';
import { getZeroSlaCounts } from '../../risk/sla/sla-report.js';
import {
  DEFAULT_EXCEPTION_POLICY,
  DEFAULT_WARN_DAYS,
  type ExceptionPolicy,
  type SlaEntry,
  type SlaRule,
} from '../../risk/sla/types.js';
import type { RiskException, SlaState } from '../../risk/types.js';
import {
  type Db,
  FINDING_BATCH_ASSETS,
  type FindingInterval,
  listExceptions,
  loadCurrentFindingIntervals,
  loadFindingAssetIds,
  RUNNING_SLA_STATE,
  updateFindingDueDates,
} from '../../store/index.js';
import { loadSlaContextBatches } from './load-sla-contexts.js';
import { getClosedStates, type HistoryState, recordChangedStates } from './record-finding-history.js';

/** Options of `applySlaBatches`. */
export interface SlaBatchOptions {
  /** Assets per batch (default: the store's `FINDING_BATCH_ASSETS`). */
  batchAssets?: number;
  /** Sees each batch's entries once they are stored. */
  onEntries?: (entries: readonly SlaEntry[]) => void;
}

/** What `applySlaBatches` counted. */
export interface SlaBatchResult {
  /** Findings per SLA state. */
  counts: Record<SlaState, number>;
  /** History rows written: the findings whose tracked state changed. */
  recorded: number;
}

/**
 * Computes the SLA of every finding not fixed (open, excepted, VEX-suppressed) at `now`, stores each
 * due date on the finding, and records in the finding history the findings whose state changed.
 * Returns what it computed, findings in store order; holds every entry: see `applySlaBatches` for a
 * whole fleet. Run after matching and exceptions.
 */
export async function applySla(
  db: Db,
  now: Date,
  rules: readonly SlaRule[],
  policy: ExceptionPolicy = DEFAULT_EXCEPTION_POLICY,
): Promise<SlaEntry[]> {
  const entries: SlaEntry[] = [];
  const onEntries = (batch: readonly SlaEntry[]) => {
    for (const e of batch) entries.push(e);
  };
  await applySlaBatches(db, now, rules, policy, { onEntries });
  return entries.sort((a, b) => compareText(a.context.finding.id, b.context.finding.id));
}

/**
 * `applySla` a batch of assets at a time, on `assetIds` (every asset with findings when omitted):
 * due dates written where they changed, a history row where a finding's tracked state changed
 * (fixed and retired findings closed once).
 */
export async function applySlaBatches(
  db: Db,
  now: Date,
  rules: readonly SlaRule[],
  policy: ExceptionPolicy = DEFAULT_EXCEPTION_POLICY,
  options: SlaBatchOptions & { assetIds?: readonly string[] } = {},
): Promise<SlaBatchResult> {
  const exceptions = await listExceptions(db);
  const inputs = { rules, exceptions, policy, now };
  const judge = makeSlaJudge(rules, exceptions, policy, now);
  const day = getDayOf(now);
  const counts = getZeroSlaCounts();
  const assets = options.assetIds ? [...new Set(options.assetIds)].sort() : await loadFindingAssetIds(db);
  const seen = new Set<string>();
  let recorded = 0;
  const batching = options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
  for await (const contexts of loadSlaContextBatches(db, now, { ...batching, assetIds: assets })) {
    const entries = contexts.map((context) => ({ context, sla: judge(context) }));
    await storeDueDates(db, entries);
    const batchAssets = [...new Set(entries.map((e) => e.context.finding.assetId))];
    for (const a of batchAssets) seen.add(a);
    const states = entries.map((e) => getHistoryState(e, inputs));
    recorded += await recordBatch(db, day, batchAssets, states);
    for (const e of entries) counts[e.sla.state]++;
    options.onEntries?.(entries);
  }
  // Assets with no live finding left: only their findings' closing (fixed, retired) is recorded.
  const rest = assets.filter((a) => !seen.has(a));
  const size = Math.max(1, Math.floor(options.batchAssets ?? FINDING_BATCH_ASSETS));
  for (let i = 0; i < rest.length; i += size)
    recorded += await recordBatch(db, day, rest.slice(i, i + size), []);
  return { counts, recorded };
}

/** Records the day's states of these assets' live findings, and closes those no longer live. */
async function recordBatch(
  db: Db,
  day: string,
  assetIds: readonly string[],
  states: readonly HistoryState[],
): Promise<number> {
  const current = await loadCurrentFindingIntervals(db, assetIds);
  const live = new Set(states.map((s) => s.findingId));
  const closed = await getClosedStates(db, day, current, live);
  return recordChangedStates(db, day, [...states, ...closed], current);
}

/** One update per distinct due date, only for findings whose date changed. */
async function storeDueDates(db: Db, entries: readonly SlaEntry[]): Promise<void> {
  const byDate = new Map<string | null, string[]>();
  for (const { context, sla } of entries) {
    if ((context.finding.dueDate ?? null) === sla.dueDate) continue;
    const ids = byDate.get(sla.dueDate) ?? [];
    ids.push(context.finding.id);
    byDate.set(sla.dueDate, ids);
  }
  await updateFindingDueDates(db, byDate);
}

/** What judging the SLA took, to judge it again a day later. */
interface SlaInputs {
  rules: readonly SlaRule[];
  exceptions: readonly RiskException[];
  policy: ExceptionPolicy;
  now: Date;
}

/**
 * A finding's state for the history: its status and risk, the SLA's due date and rule; a clock that
 * runs is stored as `running` (on-track, due-soon and breached follow from the day asked), and a
 * paused due date that moves on a day later tomorrow is stored as moving.
 */
export function getHistoryState({ context, sla }: SlaEntry, inputs: SlaInputs): HistoryState {
  const f = context.finding;
  const running = sla.state === 'on-track' || sla.state === 'due-soon' || sla.state === 'breached';
  const kev = context.vulnerability.kev;
  return {
    findingId: f.id,
    assetId: f.assetId,
    vulnerabilityId: f.vulnerabilityId,
    status: f.status,
    risk: f.risk ?? null,
    dueDate: sla.dueDate,
    dueMoves: sla.state === 'paused' && isDueMoving({ context, sla }, inputs),
    slaState: running ? RUNNING_SLA_STATE : sla.state,
    slaRule: sla.rule,
    warnDays: running && sla.dueDate !== null ? getWarnDays(sla.rule, inputs.rules) : null,
    exceptionId: f.suppression?.kind === 'exception' ? (f.suppression.ref ?? null) : null,
    kevSince: kev ? getDay(kev.dateAdded) : null,
  };
}

function getWarnDays(ruleId: string, rules: readonly SlaRule[]): FindingInterval['warnDays'] {
  return rules.find((r) => r.id === ruleId)?.warnDays ?? DEFAULT_WARN_DAYS;
}

/** Whether the due date judged a day later is a day later: the exception stops a clock that ran. */
function isDueMoving({ context, sla }: SlaEntry, { rules, exceptions, policy, now }: SlaInputs): boolean {
  if (sla.dueDate === null) return false;
  const tomorrow = computeSla(context, rules, exceptions, policy, new Date(now.getTime() + DAY_MS));
  return tomorrow.state === 'paused' && tomorrow.dueDate === addDays(sla.dueDate, 1);
}
