import { getDayOf } from '../../risk/sla/dates.js';
import { getSlaRules } from '../../risk/sla/default-rules.js';
import { getZeroSlaCounts } from '../../risk/sla/sla-report.js';
import { DEFAULT_EXCEPTION_POLICY, type ExceptionPolicy, type SlaRule } from '../../risk/sla/types.js';
import type { SlaState } from '../../risk/types.js';
import { countCurrentSlaStates, type Db, type FindingScope, loadPolicyAssetIds } from '../../store/index.js';
import { type ApplyExceptionsResult, applyExceptionsTracked } from './apply-exceptions.js';
import { applySlaBatches, type SlaBatchOptions } from './apply-sla.js';

/** patchcast.yaml's `policies` as the policy steps read them. */
export interface Policies {
  sla: readonly SlaRule[];
  exceptions: ExceptionPolicy;
}

export interface PolicyResult {
  exceptions: ApplyExceptionsResult;
  /** Findings per SLA state after this run. */
  sla: Record<SlaState, number>;
  /** History rows written: findings whose tracked state changed `day`. */
  history: { day: string; recorded: number };
}

/** Options of `applyPolicies`. */
export interface PolicyOptions extends SlaBatchOptions {
  /**
   * Only the SLA of these findings (an incremental pass) and of the findings exceptions touch; the
   * exceptions themselves are always applied fleet-wide, by index. Every finding when omitted.
   */
  scope?: FindingScope;
}

/**
 * The policy steps, in order, after matching and VEX: exceptions set finding status (fleet-wide,
 * reading only what exceptions may cover), SLA sets due dates where they changed, and the history
 * gets a row for each finding whose tracked state changed (none on a day without change). Each step
 * goes through the findings a batch of assets at a time (`batchAssets`), so memory does not grow
 * with the fleet; `options.onEntries` sees each batch's SLA entries (to build a report from them).
 * With `options.scope` the SLA step judges only the scope's findings and those of the assets whose
 * exceptions may have changed (see `loadPolicyAssetIds`), and the SLA counts are the fleet's as the
 * history's current intervals hold them (`countCurrentSlaStates`). Idempotent;
 * run it in one transaction. Without `policies`, the built-in SLA rules and exception policy apply.
 */
export async function applyPolicies(
  db: Db,
  now: Date,
  policies?: Policies,
  options: PolicyOptions = {},
): Promise<PolicyResult> {
  const { scope, ...slaOptions } = options;
  const batching = options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
  const { result: exceptions, changedAssetIds } = await applyExceptionsTracked(db, now, batching);
  const assetIds = scope ? await loadPolicyAssetIds(db, scope, changedAssetIds) : undefined;
  const sla = await applySlaBatches(
    db,
    now,
    getSlaRules(policies?.sla ?? []),
    policies?.exceptions ?? DEFAULT_EXCEPTION_POLICY,
    { ...slaOptions, ...(assetIds ? { assetIds } : {}) },
  );
  const day = getDayOf(now);
  const counts = scope ? { ...getZeroSlaCounts(), ...(await countCurrentSlaStates(db, day)) } : sla.counts;
  return { exceptions, sla: counts, history: { day, recorded: sla.recorded } };
}
