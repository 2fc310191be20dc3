/**
 * One page of findings for the API (`GET /api/v1/findings`): the CLI's filters and sorts (plus `due`), keyset-paginated by the
 * store (`loadFindingsPage`, an index range per page). The order is total (ties broken by asset,
 * vulnerability, package: a finding's identity), so the cursor — the last row's sort key — says
 * exactly where the next page starts, however findings were added or closed between pages.
 */
import { PatchcastError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import { getSeverity } from '../../matching/scan.js';
import { type Db, FINDINGS_PAGE_SORTS, listFindingSubjects, loadFindingsPage } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { makeStoreAdvisorySource } from '../matching/store-advisory-source.js';
import type { FindingQuery } from './load-finding-selection.js';

export const PAGE_SORTS = FINDINGS_PAGE_SORTS;
export type PageSort = (typeof PAGE_SORTS)[number];

/** The CLI's filters (`FindingQuery`), a sort, and where the page starts. */
export interface FindingPageQuery extends FindingQuery {
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

/** One page of findings (the API's `GET /findings`). Needs `read`. */
export async function loadFindingPage(deps: ServiceDeps, q: FindingPageQuery): Promise<FindingPage> {
  authorize(deps.actor, 'read');
  const db = deps.store.db;
  return loadFindingsPage(db, {
    status: q.status,
    sort: q.sort,
    limit: q.limit,
    ...(q.assetId === undefined ? {} : { assetId: q.assetId }),
    ...(q.packageName === undefined ? {} : { packageName: q.packageName }),
    ...(q.vulnerabilityId === undefined ? {} : { vulnerabilityId: q.vulnerabilityId }),
    ...(q.fixable ? { fixable: true } : {}),
    ...(q.severity ? { subjectIds: await loadSubjectsOfSeverity(db, q.severity.split(',')) } : {}),
    ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    ...(q.total === undefined ? {} : { total: q.total }),
  });
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'];

/**
 * The finding subjects whose vulnerability has one of these severities (published, else from its or
 * its CVE's CVSS score, as the matcher says): the store cannot index it, so the page is filtered to
 * these subjects. Grows with the vulnerabilities findings name, not with the findings.
 */
async function loadSubjectsOfSeverity(db: Db, asked: readonly string[]): Promise<number[]> {
  const wanted = asked.map((s) => s.trim().toLowerCase());
  const unknown = wanted.filter((s) => !SEVERITIES.includes(s));
  if (unknown.length)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `severity: ${unknown.join(',')} is not one of ${SEVERITIES.join(', ')}`,
    );
  const subjects = await listFindingSubjects(db);
  const ids = [...new Set(subjects.map((s) => s.vulnerabilityId))];
  const source = makeStoreAdvisorySource(db);
  const severity = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const details = await source.loadDetails(chunk);
    for (const id of chunk) severity.set(id, getSeverity(details.get(id)));
  }
  return subjects.filter((s) => wanted.includes(severity.get(s.vulnerabilityId) ?? '')).map((s) => s.id);
}
