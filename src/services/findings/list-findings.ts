import type { Finding } from '../../core/types.js';
import type { AsOf } from '../../risk/as-of.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadCoverageWarnings } from '../matching/load-coverage-warnings.js';
import { loadAsOf } from '../risk/load-as-of.js';
import type { FindingExplanation } from './explain-finding.js';
import { type FindingQuery, loadFindingSelection, type SortKey } from './load-finding-selection.js';

export interface ListFindingsInput {
  query: FindingQuery;
  /** How many findings to return, a whole number ≥ 0. */
  limit: number;
  /** Default: `risk` once a finding the query selects is scored, else `asset`. */
  sort?: SortKey;
  /** Also score each returned finding now and explain its risk (loads the risk model). */
  explain?: boolean;
}

export interface FindingList {
  asOf: AsOf;
  /** How many findings the query selects. */
  total: number;
  sort: SortKey;
  /** The first `limit` of them by `sort`. */
  findings: Finding[];
  /** With `explain`: each returned finding's risk explanation by finding id. */
  explanations?: Map<string, FindingExplanation>;
  /** What the store cannot match for the assets asked about (all, or the query's asset). */
  warnings: string[];
}

/** The findings a query selects (`patchcast findings`), a batch of assets at a time. Needs `read`. */
export async function listFindings(deps: ServiceDeps, input: ListFindingsInput): Promise<FindingList> {
  authorize(deps.actor, 'read');
  const db = deps.store.db;
  const asOf = await loadAsOf(db, deps.clock.now());
  const { total, sort, findings } = await loadFindingSelection(db, input.query, {
    limit: input.limit,
    ...(input.sort ? { sort: input.sort } : {}),
  });
  // The risk model loads only when explanations are asked for: a plain listing starts without it.
  const explanations = input.explain
    ? await (await import('./explain-finding.js')).loadFindingExplanations(
        deps.store,
        deps.config,
        findings.map((f) => f.id),
        asOf.instant,
      )
    : undefined;
  const assetIds = input.query.assetId ? [input.query.assetId] : undefined;
  const warnings = (await loadCoverageWarnings(db, assetIds)).map((w) => w.message);
  return { asOf, total, sort, findings, ...(explanations ? { explanations } : {}), warnings };
}
