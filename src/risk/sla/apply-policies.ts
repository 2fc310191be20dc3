import type { Db } from '../../store/index.js';
import { type ApplyExceptionsResult, applyExceptions } from '../exceptions/apply-exceptions.js';
import { recordFindingHistory } from '../history/record-finding-history.js';
import type { SlaState } from '../types.js';
import { applySlaBatches, DEFAULT_EXCEPTION_POLICY, type SlaBatchOptions } from './apply-sla.js';
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
 * dates and states, and the day's state of every finding goes into the history. Each step goes
 * through the findings a batch of assets at a time (`batchAssets`), so memory does not grow with the
 * fleet; `options.onEntries` sees each batch's SLA entries (to build a report from them). Idempotent;
 * run it in one transaction. Without `policies`, the built-in SLA rules and exception policy apply.
 */
export async function applyPolicies(
  db: Db,
  now: Date,
  policies?: Policies,
  options: SlaBatchOptions = {},
): Promise<PolicyResult> {
  const batching = options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
  const exceptions = await applyExceptions(db, now, batching);
  const sla = await applySlaBatches(
    db,
    now,
    getSlaRules(policies?.sla ?? []),
    policies?.exceptions ?? DEFAULT_EXCEPTION_POLICY,
    options,
  );
  const day = getDayOf(now);
  const history = await recordFindingHistory(db, day, batching);
  return { exceptions, sla, history: { day, recorded: history.recorded } };
}
