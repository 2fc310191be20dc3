import { compareText } from '../../core/collections.js';
import {
  type Db,
  type FindingDayState,
  listExceptions,
  updateFindingDueDates,
  upsertFindingHistory,
} from '../../store/index.js';
import type { FindingContext, SlaResult, SlaState } from '../types.js';
import { computeSla } from './compute-sla.js';
import { getDayOf } from './dates.js';
import { loadSlaContextBatches } from './load-sla-contexts.js';
import { makeFindingDayState } from './make-finding-day-state.js';
import { getZeroSlaCounts } from './sla-report.js';
import type { ExceptionPolicy, SlaRule } from './types.js';

/** The policy used when none is given: patchcast.yaml's defaults. */
export const DEFAULT_EXCEPTION_POLICY: ExceptionPolicy = {
  maxDays: 90,
  requireApprover: true,
  pausesSla: true,
};

export interface SlaEntry {
  context: FindingContext;
  sla: SlaResult;
}

/** Options of `applySlaBatches`. */
export interface SlaBatchOptions {
  /** Assets per batch (default: the store's `FINDING_BATCH_ASSETS`). */
  batchAssets?: number;
  /** Sees each batch's entries once they are stored. */
  onEntries?: (entries: readonly SlaEntry[]) => void;
}

/**
 * Computes the SLA of every finding not fixed (open, excepted, VEX-suppressed) at `now`, stores each
 * due date on the finding, and records the day's SLA state, rule and KEV flag in the finding history.
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

/** `applySla` a batch of assets at a time; returns how many findings are in each SLA state. */
export async function applySlaBatches(
  db: Db,
  now: Date,
  rules: readonly SlaRule[],
  policy: ExceptionPolicy = DEFAULT_EXCEPTION_POLICY,
  options: SlaBatchOptions = {},
): Promise<Record<SlaState, number>> {
  const exceptions = await listExceptions(db);
  const counts = getZeroSlaCounts();
  const batching = options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
  for await (const contexts of loadSlaContextBatches(db, now, batching)) {
    const entries = contexts.map((context) => ({
      context,
      sla: computeSla(context, rules, exceptions, policy, now),
    }));
    await storeDueDates(db, entries);
    await upsertFindingHistory(
      db,
      entries.map((e) => getDayState(e, getDayOf(now))),
    );
    for (const e of entries) counts[e.sla.state]++;
    options.onEntries?.(entries);
  }
  return counts;
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

export function getDayState({ context, sla }: SlaEntry, day: string): FindingDayState {
  const daySla = { dueDate: sla.dueDate, slaState: sla.state, slaRule: sla.rule };
  return makeFindingDayState(context.finding, day, daySla, context.vulnerability.kev !== undefined);
}
