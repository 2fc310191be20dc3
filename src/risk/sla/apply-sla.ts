import { type Db, type FindingDayState, listExceptions, upsertFindingHistory } from '../../store/index.js';
import type { FindingContext, SlaResult } from '../types.js';
import { computeSla } from './compute-sla.js';
import { getDayOf } from './dates.js';
import { loadSlaContexts } from './load-sla-contexts.js';
import { makeFindingDayState } from './make-finding-day-state.js';
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

/**
 * Computes the SLA of every finding not fixed (open, excepted, VEX-suppressed) at `now`, stores each
 * due date on the finding, and records the day's SLA state, rule and KEV flag in the finding history.
 * Returns what it computed, findings in store order. Run after matching and exceptions.
 */
export async function applySla(
  db: Db,
  now: Date,
  rules: readonly SlaRule[],
  policy: ExceptionPolicy = DEFAULT_EXCEPTION_POLICY,
): Promise<SlaEntry[]> {
  const contexts = await loadSlaContexts(db, now);
  const exceptions = await listExceptions(db);
  const entries = contexts.map((context) => ({
    context,
    sla: computeSla(context, rules, exceptions, policy, now),
  }));
  await storeDueDates(db, entries);
  await upsertFindingHistory(
    db,
    entries.map((e) => getDayState(e, getDayOf(now))),
  );
  return entries;
}

/** One update per distinct due date, only for findings whose date changed. */
async function storeDueDates(db: Db, entries: readonly SlaEntry[]): Promise<void> {
  const byDate = new Map<string | null, string[]>();
  for (const { context, sla } of entries) {
    if ((context.finding.dueDate ?? null) === sla.dueDate) continue;
    byDate.set(sla.dueDate, [...(byDate.get(sla.dueDate) ?? []), context.finding.id]);
  }
  for (const [dueDate, ids] of byDate) {
    for (let i = 0; i < ids.length; i += 500)
      await db
        .updateTable('findings')
        .set({ due_date: dueDate })
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
  }
}

export function getDayState({ context, sla }: SlaEntry, day: string): FindingDayState {
  const daySla = { dueDate: sla.dueDate, slaState: sla.state, slaRule: sla.rule };
  return makeFindingDayState(context.finding, day, daySla, context.vulnerability.kev !== undefined);
}
