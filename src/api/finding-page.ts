/**
 * One page of findings for the API: the CLI's filters and sorts (plus `due`), keyset-paginated. The
 * order is total (ties broken by asset, vulnerability, package: a finding's identity), so the
 * cursor — the last row's sort key — says exactly where the next page starts, however findings
 * were added or closed between pages. Reads a batch of assets at a time, holding at most `limit`.
 */

import { PatchcastError } from '../core/errors.js';
import { makeTopList } from '../core/top-list.js';
import type { Finding, FindingStatus } from '../core/types.js';
import { compareFindings, makeSeverityFilter } from '../services/findings/load-finding-selection.js';
import { type Db, loadFindingBatches } from '../store/index.js';

export const PAGE_SORTS = ['risk', 'due', 'asset', 'vulnerability', 'package'] as const;
export type PageSort = (typeof PAGE_SORTS)[number];

export interface FindingPageQuery {
  status: FindingStatus[];
  assetId?: string;
  packageName?: string;
  vulnerabilityId?: string;
  fixable?: boolean;
  severity?: string;
  sort: PageSort;
  limit: number;
  cursor?: string;
}

export interface FindingPage {
  total: number;
  sort: PageSort;
  findings: Finding[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Earliest due date first (none last), then the identity. */
function compareDue(a: Finding, b: Finding): number {
  const x = a.dueDate ?? '\uffff';
  const y = b.dueDate ?? '\uffff';
  return x < y ? -1 : x > y ? 1 : compareFindings('asset')(a, b);
}

export function getFindingComparator(sort: PageSort): (a: Finding, b: Finding) => number {
  return sort === 'due' ? compareDue : compareFindings(sort);
}

type CursorKey = Pick<Finding, 'assetId' | 'vulnerabilityId' | 'packageName' | 'risk' | 'dueDate'>;

export function encodeCursor(sort: PageSort, f: Finding): string {
  const key: CursorKey = {
    assetId: f.assetId,
    vulnerabilityId: f.vulnerabilityId,
    packageName: f.packageName,
    ...(f.risk === undefined ? {} : { risk: f.risk }),
    ...(f.dueDate === undefined ? {} : { dueDate: f.dueDate }),
  };
  return Buffer.from(JSON.stringify([sort, key])).toString('base64url');
}

function decodeCursor(sort: PageSort, cursor: string): CursorKey {
  try {
    const [s, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, CursorKey];
    if (s === sort && typeof key.assetId === 'string' && typeof key.vulnerabilityId === 'string') return key;
  } catch {
    // falls through to the error below
  }
  throw new PatchcastError('INPUT_INVALID', 'query.cursor: not a cursor of this sort', {
    hint: 'Pass the nextCursor of the previous page unchanged, with the same sort and filters.',
  });
}

export async function loadFindingPage(db: Db, q: FindingPageQuery): Promise<FindingPage> {
  const compare = getFindingComparator(q.sort);
  const after = q.cursor ? (decodeCursor(q.sort, q.cursor) as Finding) : undefined;
  const bySeverity = q.severity ? await makeSeverityFilter(db, q.severity) : undefined;
  // One more than the page, to know whether another page follows.
  const top = makeTopList(compare, q.limit + 1);
  let total = 0;
  const filter = {
    status: q.status,
    ...(q.assetId ? { assetIds: [q.assetId] } : {}),
    ...(q.packageName ? { packageName: q.packageName } : {}),
    ...(q.vulnerabilityId ? { vulnerabilityId: q.vulnerabilityId } : {}),
  };
  for await (const batch of loadFindingBatches(db, filter)) {
    let findings = q.fixable ? batch.filter((f) => f.targetVersion !== undefined) : batch;
    if (bySeverity) findings = await bySeverity(findings);
    total += findings.length;
    for (const f of findings) if (!after || compare(f, after) > 0) top.add(f);
  }
  const rows = top.take();
  const findings = rows.slice(0, q.limit);
  const last = findings.at(-1);
  return {
    total,
    sort: q.sort,
    findings,
    nextCursor: rows.length > q.limit && last ? encodeCursor(q.sort, last) : null,
  };
}
