/**
 * Findings one batch of assets at a time, for the steps after matching (VEX, risk, exceptions, SLA,
 * history): a 10,000-host fleet has ~12.9M findings, which no step may hold at once.
 */
import type { Finding } from '../../core/types.js';
import type { Db } from '../rows.js';
import { type FindingFilter, listFindings } from './findings.js';

/**
 * Assets per batch by default: ~1,250 findings on a bench host, so ~60,000 findings a batch. On the
 * 1,000-host bench (bench/pipeline-scale.ts) 50 peaked at ~1 GiB RSS when scoring, 200 at 2.5 GiB,
 * for the same time.
 */
export const FINDING_BATCH_ASSETS = 50;
const IDS_PER_QUERY = 1000;

/** Options of `loadFindingBatches`. */
export interface FindingBatchOptions {
  /** Assets per batch (default `FINDING_BATCH_ASSETS`). */
  batchAssets?: number;
}

/**
 * Which findings a step after matching works on (issue #18's incremental path): the findings of these
 * assets, plus the findings of these vulnerabilities on any asset. Neither given: every finding.
 */
export interface FindingScope {
  /** Findings of these assets (their inventory or their facts changed). */
  assetIds?: readonly string[];
  /** Findings of these vulnerabilities, on every asset (their advisory, EPSS, forecast or KEV listing changed). */
  vulnerabilityIds?: readonly string[];
}

/**
 * The ids of the assets that have findings, in any status, sorted. Every finding's asset exists (a
 * foreign key, since migration 0010 a delete trigger), so this is an index probe per asset rather than
 * a scan of the findings.
 */
export async function loadFindingAssetIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('assets as a')
    .select('a.id')
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('findings as f').select('f.asset_id').whereRef('f.asset_id', '=', 'a.id')),
    )
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The findings `filter` selects, a batch of whole assets at a time (assets in id order, each batch in
 * `listFindings`' order); with `filter.ids`, a batch per thousand of those findings. Empty batches are
 * skipped. The assets are listed up front, so a step may write the findings of a batch it was given.
 */
export async function* loadFindingBatches(
  db: Db,
  filter: Omit<FindingFilter, 'limit'> = {},
  options: FindingBatchOptions = {},
): AsyncGenerator<Finding[]> {
  if (filter.ids) {
    const ids = [...new Set(filter.ids)];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const found = await listFindings(db, { ...filter, ids: ids.slice(i, i + IDS_PER_QUERY) });
      if (found.length > 0) yield found;
    }
    return;
  }
  const size = Math.max(1, Math.floor(options.batchAssets ?? FINDING_BATCH_ASSETS));
  const assets = filter.assetIds ? [...new Set(filter.assetIds)].sort() : await loadFindingAssetIds(db);
  for (let i = 0; i < assets.length; i += size) {
    const found = await listFindings(db, { ...filter, assetIds: assets.slice(i, i + size) });
    if (found.length > 0) yield found;
  }
}
