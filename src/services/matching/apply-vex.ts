import { memoizeById } from '../../core/collections.js';
import type { Finding } from '../../core/types.js';
import { findVexStatement, isSuppressing, type VexStatement } from '../../matching/vex/index.js';
import {
  type Db,
  type FindingBatchOptions,
  type FindingKey,
  type FindingStatusChange,
  listFindingsByKeys,
  listVexStatements,
  loadAliasesFor,
  loadInstalledPurl,
  loadOpenFindingKeysOf,
  loadSubjectIdsOf,
  loadVexSuppressedKeys,
  updateFindingStatuses,
} from '../../store/index.js';

/** Which findings `applyStoredVex` looks at: a `FindingScope` (all when empty), and a chunk size. */
export type ApplyVexOptions = {
  assetIds?: readonly string[];
  vulnerabilityIds?: readonly string[];
} & FindingBatchOptions;

/** Findings loaded and decided at a time. */
const VEX_CHUNK = 5000;

/**
 * Applies the stored VEX statements to findings: a not_affected or fixed statement about a finding's
 * vulnerability (or an alias) and its package or asset marks it `suppressed` with the justification;
 * a finding whose statement is gone is opened again. Suppressed findings stay listed and counted.
 * Set-wise (issue #18): statements are few, so the findings they may touch are reached through their
 * vulnerabilities' subjects, and the VEX-suppressed ones through an index of suppressed findings —
 * never by a scan of every finding. Each vulnerability's aliases are looked up once.
 */
export async function applyStoredVex(
  db: Db,
  options: ApplyVexOptions = {},
): Promise<{ suppressed: number; reopened: number }> {
  const statements = (await listVexStatements(db)) as VexStatement[];
  const stated = await loadStatedVulnerabilityIds(db, statements);
  const keys = await loadCandidateKeys(db, stated, options);
  const aliasesOf = memoizeById((ids) => loadAliasesFor(db, ids));
  let assetNames: Map<string, string> | undefined;
  let suppressed = 0;
  let reopened = 0;
  for (let i = 0; i < keys.length; i += VEX_CHUNK) {
    const candidates = await listFindingsByKeys(db, keys.slice(i, i + VEX_CHUNK), {
      status: ['open', 'suppressed'],
    });
    const aliases = await aliasesOf(candidates.map((f) => f.vulnerabilityId));
    assetNames ??= await loadAssetNames(db);
    const changes: FindingStatusChange[] = [];
    for (const finding of candidates) {
      const statement = findVexStatement(
        {
          vulnerabilityIds: [finding.vulnerabilityId, ...(aliases.get(finding.vulnerabilityId) ?? [])],
          ...(await loadPurl(db, finding)),
          packageName: finding.packageName,
          packageVersion: finding.installedVersion,
          assetName: assetNames.get(finding.assetId) ?? finding.assetId,
        },
        statements,
      );
      const change = getVexChange(finding, statement);
      if (change?.status === 'suppressed') suppressed++;
      if (change?.status === 'open') reopened++;
      if (change) changes.push(change);
    }
    await updateFindingStatuses(db, changes);
  }
  return { suppressed, reopened };
}

/** Suppressed when a statement suppresses an open finding; open again when a VEX suppression lost its statement. */
function getVexChange(
  finding: Finding,
  statement: VexStatement | undefined,
): FindingStatusChange | undefined {
  if (isSuppressing(statement) && statement && finding.status === 'open') {
    const suppression = {
      kind: 'vex' as const,
      justification: statement.justification ?? statement.status,
      ref: statement.source,
    };
    return { id: finding.id, status: 'suppressed', suppression };
  }
  if (!isSuppressing(statement) && finding.status === 'suppressed' && finding.suppression?.kind === 'vex')
    return { id: finding.id, status: 'open', suppression: null };
  return undefined;
}

/**
 * The keys of the findings VEX may change, in scope: the open findings of the stated
 * vulnerabilities, and the VEX-suppressed findings. A scope keeps the findings of its assets and of
 * its vulnerabilities.
 */
async function loadCandidateKeys(
  db: Db,
  stated: ReadonlySet<string>,
  scope: ApplyVexOptions,
): Promise<FindingKey[]> {
  const open = stated.size ? await loadOpenFindingKeysOf(db, await loadSubjectIdsOf(db, [...stated])) : [];
  const keys = [...open, ...(await loadVexSuppressedKeys(db))];
  if (!scope.assetIds && !scope.vulnerabilityIds) return keys;
  const assets = new Set(scope.assetIds ?? []);
  const subjects = new Set(scope.vulnerabilityIds ? await loadSubjectIdsOf(db, scope.vulnerabilityIds) : []);
  return keys.filter((k) => assets.has(k.assetId) || subjects.has(k.subjectId));
}

/** The vulnerabilities statements name, and those that have a named one as an alias. */
async function loadStatedVulnerabilityIds(db: Db, statements: readonly VexStatement[]): Promise<Set<string>> {
  const named = [...new Set(statements.map((s) => s.vulnerability))];
  const viaAlias = named.length
    ? (
        await db
          .selectFrom('vulnerability_aliases')
          .select('vulnerability_id')
          .where('alias', 'in', named)
          .execute()
      ).map((r) => r.vulnerability_id)
    : [];
  return new Set([...named, ...viaAlias]);
}

async function loadPurl(db: Db, finding: Finding): Promise<{ purl?: string }> {
  const purl = await loadInstalledPurl(db, finding);
  return purl ? { purl } : {};
}

async function loadAssetNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('assets').select(['id', 'name']).execute()).map((a) => [a.id, a.name]));
}
