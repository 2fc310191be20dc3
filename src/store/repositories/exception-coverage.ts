/**
 * The assets an exceptions pass must look at, found through indexes rather than by reading every
 * finding (issue #18): exceptions are few, and so are the findings they cover or once covered.
 */
import type { RiskException } from '../../core/types.js';
import type { Db } from '../rows.js';
import type { FindingScope } from './finding-batches.js';
import { listFindings } from './findings.js';

const KEYS_PER_QUERY = 500;

/**
 * The assets with a live finding (open, excepted, VEX-suppressed) of these vulnerabilities, each
 * known by its id, an alias or the CVE in its id: an incremental pass's scope after a feed changed them.
 */
export async function loadVulnerabilityAssetIds(db: Db, ids: readonly string[]): Promise<string[]> {
  const subjects = await loadVulnerabilitySubjects(db, ids);
  return loadSubjectAssets(db, subjects, ['open', 'excepted', 'suppressed']);
}

/** The assets with an excepted finding (the partial index `findings_excepted`), sorted. */
export async function loadExceptedAssetIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('findings')
    .select('asset_id')
    .distinct()
    .where('status', '=', 'excepted')
    .orderBy('asset_id')
    .execute();
  return rows.map((r) => r.asset_id);
}

/**
 * The assets that may hold a finding one of these exceptions covers, sorted: the asset it names;
 * else the asset of the finding it names; else the assets with open or excepted findings of its
 * vulnerability (by id, by an alias, or by the CVE in the id) or of its package. A superset: the
 * caller judges each finding.
 */
export async function loadExceptionAssetIds(db: Db, exceptions: readonly RiskException[]): Promise<string[]> {
  const assets = new Set<string>();
  const vulnerabilities = new Set<string>();
  const packages = new Set<string>();
  for (const e of exceptions) {
    if (e.assetId !== undefined) assets.add(e.assetId);
    else if (e.findingId !== undefined)
      for (const f of await listFindings(db, { ids: [e.findingId] })) assets.add(f.assetId);
    else if (e.vulnerabilityId !== undefined) vulnerabilities.add(e.vulnerabilityId);
    else if (e.packageName !== undefined) packages.add(e.packageName);
  }
  const subjects = [
    ...(await loadVulnerabilitySubjects(db, [...vulnerabilities])),
    ...(await loadPackageSubjects(db, [...packages])),
  ];
  for (const a of await loadSubjectAssets(db, subjects)) assets.add(a);
  return [...assets].sort();
}

/** The finding subjects of these vulnerabilities, each known by its id, an alias or the CVE in its id. */
async function loadVulnerabilitySubjects(db: Db, ids: readonly string[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const aliased = await db
    .selectFrom('vulnerability_aliases')
    .select('vulnerability_id')
    .where('alias', 'in', [...ids])
    .execute();
  const named = [...new Set([...ids, ...aliased.map((r) => r.vulnerability_id)])];
  const rows = await db
    .selectFrom('finding_subjects')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('vulnerability_id', 'in', named),
        ...ids.filter((id) => id.startsWith('CVE-')).map((id) => eb('vulnerability_id', 'like', `%${id}%`)),
      ]),
    )
    .execute();
  return rows.map((r) => Number(r.id));
}

async function loadPackageSubjects(db: Db, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('finding_subjects')
    .select('id')
    .where('package_name', 'in', [...names])
    .execute();
  return rows.map((r) => Number(r.id));
}

/**
 * The assets with an open or excepted finding of these subjects. Findings have no subject index
 * (every byte of their 12.9M rows counts, issue #5), so this reads the findings once, their key
 * only; asset and finding exceptions, the usual kinds, never come here.
 */
async function loadSubjectAssets(
  db: Db,
  subjects: readonly number[],
  status: readonly string[] = ['open', 'excepted'],
): Promise<string[]> {
  const out = new Set<string>();
  for (let i = 0; i < subjects.length; i += KEYS_PER_QUERY) {
    const rows = await db
      .selectFrom('findings')
      .select('asset_id')
      .distinct()
      .where('subject_id', 'in', subjects.slice(i, i + KEYS_PER_QUERY))
      .where('status', 'in', [...status])
      .execute();
    for (const r of rows) out.add(r.asset_id);
  }
  return [...out];
}

/**
 * The assets an incremental policies pass judges the SLA of: the scope's assets, the assets with
 * live findings of the scope's vulnerabilities, the assets whose findings the exceptions step just
 * changed (an exception started, lapsed or was revoked), and the assets with excepted findings (a
 * paused due date moves each day). A due date passing needs no pass: the history derives on-track,
 * due-soon and breached from the due date for the day asked. All by index but the vulnerabilities'
 * (see `loadVulnerabilityAssetIds`).
 */
export async function loadPolicyAssetIds(
  db: Db,
  scope: FindingScope,
  changedByExceptions: Iterable<string>,
): Promise<string[]> {
  const assets = new Set<string>([...(scope.assetIds ?? []), ...changedByExceptions]);
  for (const a of await loadExceptedAssetIds(db)) assets.add(a);
  if (scope.vulnerabilityIds?.length)
    for (const a of await loadVulnerabilityAssetIds(db, scope.vulnerabilityIds)) assets.add(a);
  return [...assets].sort();
}
