import type { Finding, FindingStatus } from '../../core/types.js';
import { chunk, type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';
import type { FindingsTable } from '../schema.js';

/** Inserts new findings and refreshes known ones; `first_seen` of a known finding is kept. */
export async function upsertFindings(db: Db, findings: readonly Finding[]): Promise<void> {
  for (const batch of chunk(findings, 15)) {
    await db
      .insertInto('findings')
      .values(batch.map(toRow))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          fixed_versions: eb.ref('excluded.fixed_versions'),
          target_version: eb.ref('excluded.target_version'),
          status: eb.ref('excluded.status'),
          suppression: eb.ref('excluded.suppression'),
          risk: eb.ref('excluded.risk'),
          due_date: eb.ref('excluded.due_date'),
          last_seen: eb.ref('excluded.last_seen'),
          resolved_at: eb.ref('excluded.resolved_at'),
        })),
      )
      .execute();
  }
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
