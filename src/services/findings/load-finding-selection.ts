/**
 * What `patchcast findings` lists: the first `--limit` findings by the chosen sort and how many match,
 * read a batch of assets at a time so that a fleet's ~12.9M findings are never held at once.
 */
import { PatchcastError } from '../../core/errors.js';
import { makeTopList, type TopList } from '../../core/top-list.js';
import type { Finding, FindingStatus } from '../../core/types.js';
import type { Severity } from '../../matching/scan.js';
import { type Db, type FindingBatchOptions, loadFindingBatches } from '../../store/index.js';

export const SORTS = ['risk', 'asset', 'vulnerability', 'package'] as const;
export type SortKey = (typeof SORTS)[number];

/** Which findings `patchcast findings` lists. */
export interface FindingQuery {
  status: FindingStatus[];
  assetId?: string;
  packageName?: string;
  vulnerabilityId?: string;
  /** Only findings with a fix available. */
  fixable?: boolean;
  /** Comma-separated severities (`--severity`). */
  severity?: string;
}

/** Options of `loadFindingSelection`. */
export interface FindingSelectionOptions extends FindingBatchOptions {
  /** How many findings to return, a whole number ≥ 0. */
  limit: number;
  /** Default: `risk` once a finding the query selects is scored, else `asset`. */
  sort?: SortKey;
}

export interface FindingSelection {
  /** How many findings the query selects. */
  total: number;
  sort: SortKey;
  /** The first `limit` of them by `sort`. */
  findings: Finding[];
}

/**
 * The first `limit` findings the query selects by `sort`, and how many it selects: the same as sorting
 * them all with `compareFindings` and slicing. Holds a batch of assets' findings and at most twice
 * `limit` selected ones (per sort while the default sort is undecided).
 */
export async function loadFindingSelection(
  db: Db,
  query: FindingQuery,
  options: FindingSelectionOptions,
): Promise<FindingSelection> {
  const bySeverity = query.severity ? await makeSeverityFilter(db, query.severity) : undefined;
  const sorts: SortKey[] = options.sort ? [options.sort] : ['risk', 'asset'];
  const lists = new Map<SortKey, TopList<Finding>>(
    sorts.map((s) => [s, makeTopList(compareFindings(s), options.limit)]),
  );
  let total = 0;
  let scored = false;
  for await (const batch of loadFindingBatches(db, toFilter(query), toBatching(options))) {
    let findings = query.fixable ? batch.filter((f) => f.targetVersion !== undefined) : batch;
    if (bySeverity) findings = await bySeverity(findings);
    total += findings.length;
    scored ||= findings.some((f) => f.risk !== undefined);
    for (const list of lists.values()) for (const f of findings) list.add(f);
  }
  const sort = options.sort ?? (scored ? 'risk' : 'asset');
  return { total, sort, findings: lists.get(sort)?.take() ?? [] };
}

/** One asset is one batch of its own; the other filters go into each batch's query. */
function toFilter(query: FindingQuery) {
  return {
    status: query.status,
    ...(query.assetId ? { assetIds: [query.assetId] } : {}),
    ...(query.packageName ? { packageName: query.packageName } : {}),
    ...(query.vulnerabilityId ? { vulnerabilityId: query.vulnerabilityId } : {}),
  };
}

function toBatching(options: FindingBatchOptions): FindingBatchOptions {
  return options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
}

/** Highest risk first (unscored last), else by the named column; ties by asset, vulnerability, package. */
export function compareFindings(key: SortKey): (a: Finding, b: Finding) => number {
  const text = (f: Finding) =>
    key === 'vulnerability' ? f.vulnerabilityId : key === 'package' ? f.packageName : f.assetId;
  return (a, b) =>
    (key === 'risk' ? (b.risk ?? -1) - (a.risk ?? -1) : text(a).localeCompare(text(b))) ||
    a.assetId.localeCompare(b.assetId) ||
    a.vulnerabilityId.localeCompare(b.vulnerabilityId) ||
    a.packageName.localeCompare(b.packageName);
}

/**
 * Keeps findings whose vulnerability's severity (published, else from its or its CVE's CVSS score)
 * is listed; each vulnerability's severity is looked up once, in the batch that first names it.
 */
export async function makeSeverityFilter(
  db: Db,
  list: string,
): Promise<(findings: readonly Finding[]) => Promise<Finding[]>> {
  // The matcher's modules load only for --severity: a plain `patchcast findings` starts without them.
  const { makeStoreAdvisorySource } = await import('../matching/store-advisory-source.js');
  const { getSeverity, SEVERITY_ORDER } = await import('../../matching/scan.js');
  const wanted = list.split(',').map((s) => s.trim().toLowerCase());
  const unknown = wanted.filter((s) => !SEVERITY_ORDER.includes(s as Severity));
  if (unknown.length) {
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--severity ${unknown.join(',')} is not one of ${SEVERITY_ORDER.join(', ')}`,
    );
  }
  const source = makeStoreAdvisorySource(db);
  const severities = new Map<string, string>();
  return async (findings) => {
    const missing = [...new Set(findings.map((f) => f.vulnerabilityId))].filter((id) => !severities.has(id));
    const details = missing.length ? await source.loadDetails(missing) : new Map();
    for (const id of missing) severities.set(id, getSeverity(details.get(id)));
    return findings.filter((f) => wanted.includes(severities.get(f.vulnerabilityId) as string));
  };
}
