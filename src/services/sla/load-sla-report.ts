import type { AsOf } from '../../risk/as-of.js';
import { getSlaRules, makeSlaReportBuilder, type SlaReport } from '../../risk/sla/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { applyPolicies } from '../risk/apply-policies.js';
import { loadAsOf } from '../risk/load-as-of.js';

export interface SlaReportResult {
  report: SlaReport;
  /** The day the store's data stands at (the report's "now"), for the data-age note. */
  asOf: AsOf;
}

/**
 * What is due soon and breached per SLA rule (`patchcast sla`), as of now under the
 * configured policy (the clock's now). The due dates are derived data: they are recomputed and stored in one transaction
 * (as every pipeline run does), so reading needs only `read` and is not an audited change.
 * `keep` bounds each list of findings (default: every one).
 */
export async function loadSlaReport(
  deps: ServiceDeps,
  input: { keep?: number } = {},
): Promise<SlaReportResult> {
  authorize(deps.actor, 'read');
  const asOf = await loadAsOf(deps.store.db, deps.clock.now());
  const now = asOf.instant;
  const policies = deps.config.policies;
  const builder = makeSlaReportBuilder(
    getSlaRules(policies.sla),
    now,
    input.keep === undefined ? {} : { keep: input.keep },
  );
  await deps.store.db
    .transaction()
    .execute((db) => applyPolicies(db, now, policies, { onEntries: (e) => builder.add(e) }));
  return { report: builder.finish(), asOf };
}
