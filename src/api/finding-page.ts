/**
 * One page of findings for the API: the CLI's filters and sorts (plus `due`), keyset-paginated by the
 * store (`loadFindingsPage`, an index range per page). The order is total (ties broken by asset,
 * vulnerability, package: a finding's identity), so the cursor — the last row's sort key — says
 * exactly where the next page starts, however findings were added or closed between pages.
 */
import type { Finding, FindingStatus } from '../core/types.js';
import { type Db, FINDINGS_PAGE_SORTS, loadFindingsPage } from '../store/index.js';

export const PAGE_SORTS = FINDINGS_PAGE_SORTS;
export type PageSort = (typeof PAGE_SORTS)[number];

export interface FindingPageQuery {
  status: FindingStatus[];
  assetId?: string;
  packageName?: string;
  vulnerabilityId?: string;
  fixable?: boolean;
  /** Comma-separated severities. */
  severity?: string;
  sort: PageSort;
  limit: number;
  cursor?: string;
  /** Count the total (default: on the first page only). */
  total?: boolean;
}

export interface FindingPage {
  /** How many findings match: counted on the first page unless `total: false`, on later pages only with `total: true`; else null. */
  total: number | null;
  sort: PageSort;
  findings: Finding[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export async function loadFindingPage(db: Db, q: FindingPageQuery): Promise<FindingPage> {
  return loadFindingsPage(db, {
    status: q.status,
    sort: q.sort,
    limit: q.limit,
    ...(q.assetId === undefined ? {} : { assetId: q.assetId }),
    ...(q.packageName === undefined ? {} : { packageName: q.packageName }),
    ...(q.vulnerabilityId === undefined ? {} : { vulnerabilityId: q.vulnerabilityId }),
    ...(q.fixable ? { fixable: true } : {}),
    ...(q.severity ? { severity: q.severity.split(',') } : {}),
    ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    ...(q.total === undefined ? {} : { total: q.total }),
  });
}
