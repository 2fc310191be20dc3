import type { Finding, FindingStatus } from '../../core/types.js';
import { type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';
import type { FindingsTable } from '../schema.js';
import { type BulkColumn, insertRows } from './bulk.js';

const FINDING_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'asset_id', type: 'text' },
  { name: 'vulnerability_id', type: 'text' },
  { name: 'ecosystem', type: 'text' },
  { name: 'package_name', type: 'text' },
  { name: 'installed_version', type: 'text' },
  { name: 'fixed_versions', type: 'text' },
  { name: 'target_version', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'suppression', type: 'text' },
  { name: 'risk', type: 'real' },
  { name: 'due_date', type: 'text' },
  { name: 'first_seen', type: 'text' },
  { name: 'last_seen', type: 'text' },
  { name: 'resolved_at', type: 'text' },
];

/**
 * Refreshed on conflict. Kept: `first_seen` (the SLA clock starts at first detection), and `risk` and
 * `due_date`, which belong to the risk and SLA steps that run after matching.
 */
const REFRESHED = [
  'installed_version',
  'fixed_versions',
  'target_version',
  'status',
  'suppression',
  'last_seen',
  'resolved_at',
];
const ON_CONFLICT = `on conflict (id) do update set ${REFRESHED.map((n) => `${n} = excluded.${n}`).join(', ')}`;

/**
 * Inserts new findings and refreshes known ones; `first_seen` of a known finding is kept. Of two
 * findings with the same id the last wins (one statement may not touch a row twice on PostgreSQL).
 */
export async function upsertFindings(db: Db, findings: readonly Finding[]): Promise<void> {
  const unique = new Map<string, Finding>();
  for (const f of findings) unique.set(f.id, f);
  const rows = [...unique.values()].map(toValues);
  await insertRows(db, 'findings', FINDING_COLUMNS, rows, ON_CONFLICT);
}

function toValues(f: Finding): unknown[] {
  const row = toRow(f);
  return FINDING_COLUMNS.map((c) => row[c.name as keyof FindingsTable]);
}

function toRow(f: Finding): FindingsTable {
  return {
    id: f.id,
    asset_id: f.assetId,
    vulnerability_id: f.vulnerabilityId,
    ecosystem: f.ecosystem,
    package_name: f.packageName,
    installed_version: f.installedVersion,
    fixed_versions: toJson(f.fixedVersions),
    target_version: orNull(f.targetVersion),
    status: f.status,
    suppression: toJson(f.suppression),
    risk: orNull(f.risk),
    due_date: orNull(f.dueDate),
    first_seen: f.firstSeen,
    last_seen: f.lastSeen,
    resolved_at: orNull(f.resolvedAt),
  };
}

function fromRow(r: FindingsTable): Finding {
  return definedOnly({
    id: r.id,
    assetId: r.asset_id,
    vulnerabilityId: r.vulnerability_id,
    ecosystem: r.ecosystem,
    packageName: r.package_name,
    installedVersion: r.installed_version,
    fixedVersions: fromJson<string[]>(r.fixed_versions) ?? [],
    targetVersion: r.target_version,
    status: r.status as FindingStatus,
    suppression: fromJson<Finding['suppression']>(r.suppression),
    risk: r.risk,
    dueDate: r.due_date,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    resolvedAt: r.resolved_at,
  });
}

export interface FindingFilter {
  assetId?: string;
  vulnerabilityId?: string;
  packageName?: string;
  status?: FindingStatus[];
  limit?: number;
}

export async function listFindings(db: Db, filter: FindingFilter = {}): Promise<Finding[]> {
  let query = db.selectFrom('findings').selectAll();
  if (filter.assetId) query = query.where('asset_id', '=', filter.assetId);
  if (filter.vulnerabilityId) query = query.where('vulnerability_id', '=', filter.vulnerabilityId);
  if (filter.packageName) query = query.where('package_name', '=', filter.packageName);
  if (filter.status?.length) query = query.where('status', 'in', filter.status);
  query = query.orderBy('risk', 'desc').orderBy('id');
  if (filter.limit) query = query.limit(filter.limit);
  return (await query.execute()).map(fromRow);
}

/** Marks an asset's open findings that a new scan no longer reports as fixed. Returns how many. */
export async function resolveFindingsNotIn(
  db: Db,
  assetId: string,
  stillOpen: readonly string[],
  at: string,
) {
  let query = db
    .updateTable('findings')
    .set({ status: 'fixed', resolved_at: at })
    .where('asset_id', '=', assetId)
    .where('status', '!=', 'fixed');
  if (stillOpen.length > 0) query = query.where('id', 'not in', stillOpen);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
