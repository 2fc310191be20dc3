import type { Db } from '../../store/index.js';
import { type ApplyExceptionsResult, applyExceptions } from '../exceptions/apply-exceptions.js';
import { recordFindingHistory } from '../history/record-finding-history.js';
import type { SlaState } from '../types.js';
import { applySla, DEFAULT_EXCEPTION_POLICY } from './apply-sla.js';
import { getDayOf } from './dates.js';
import { getSlaRules } from './default-rules.js';
import type { ExceptionPolicy, SlaRule } from './types.js';

/** patchcast.yaml's `policies` as the policy steps read them. */
export interface Policies {
  sla: readonly SlaRule[];
  exceptions: ExceptionPolicy;
}

export interface PolicyResult {
  exceptions: ApplyExceptionsResult;
  /** Findings per SLA state after this run. */
  sla: Record<SlaState, number>;
  history: { day: string; recorded: number };
}

/**
 * The policy steps, in order, after matching and VEX: exceptions set finding status, SLA sets due
 * dates and states, and the day's state of every finding goes into the history. Idempotent; run it in
 * one transaction. Without `policies`, the built-in SLA rules and exception policy apply.
 */
export async function applyPolicies(db: Db, now: Date, policies?: Policies): Promise<PolicyResult> {
  const exceptions = await applyExceptions(db, now);
  const entries = await applySla(
    db,
    now,
    getSlaRules(policies?.sla ?? []),
    policies?.exceptions ?? DEFAULT_EXCEPTION_POLICY,
  );
  const sla: Record<SlaState, number> = { 'on-track': 0, 'due-soon': 0, breached: 0, paused: 0, closed: 0 };
  for (const e of entries) sla[e.sla.state]++;
  const day = getDayOf(now);
  const history = await recordFindingHistory(db, day);
  return { exceptions, sla, history: { day, recorded: history.recorded } };
}
