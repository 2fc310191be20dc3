import { memoizeById } from '../core/collections.js';
import type { Finding, FindingStatus } from '../core/types.js';
import {
  type Db,
  type FindingBatchOptions,
  type FindingStatusChange,
  listVexStatements,
  loadAliasesFor,
  loadFindingBatches,
  loadInstalledPurl,
  updateFindingStatuses,
} from '../store/index.js';
import { findVexStatement, isSuppressing, type VexStatement } from './vex/index.js';

/**
 * Applies the stored VEX statements to findings: a not_affected or fixed statement about a finding's
 * vulnerability (or an alias) and its package or asset marks it `suppressed` with the justification;
 * a finding whose statement is gone is opened again. Suppressed findings stay listed and counted.
 * A batch of assets at a time; each vulnerability's aliases are looked up once.
 */
export async function applyStoredVex(
  db: Db,
  options: { assetIds?: string[] } & FindingBatchOptions = {},
): Promise<{ suppressed: number; reopened: number }> {
  const statements = (await listVexStatements(db)) as VexStatement[];
  const stated = await loadStatedVulnerabilityIds(db, statements);
  // Open findings some statement may cover, and VEX-suppressed ones whose statement may be gone.
  const status: FindingStatus[] = stated.size ? ['open', 'suppressed'] : ['suppressed'];
  const isCandidate = (f: Finding) =>
    f.status === 'open' ? stated.has(f.vulnerabilityId) : f.suppression?.kind === 'vex';
  const scope = options.assetIds ? { assetIds: options.assetIds } : {};
  const aliasesOf = memoizeById((ids) => loadAliasesFor(db, ids));
  let assetNames: Map<string, string> | undefined;
  let suppressed = 0;
  let reopened = 0;
  for await (const batch of loadFindingBatches(db, { status, ...scope }, options)) {
    const candidates = batch.filter(isCandidate);
    if (candidates.length === 0) continue;
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
      if (isSuppressing(statement) && statement && finding.status !== 'suppressed') {
        const suppression = {
          kind: 'vex' as const,
          justification: statement.justification ?? statement.status,
          ref: statement.source,
        };
        changes.push({ id: finding.id, status: 'suppressed', suppression });
        suppressed++;
      } else if (
        !isSuppressing(statement) &&
        finding.status === 'suppressed' &&
        finding.suppression?.kind === 'vex'
      ) {
        changes.push({ id: finding.id, status: 'open', suppression: null });
        reopened++;
      }
    }
    await updateFindingStatuses(db, changes);
  }
  return { suppressed, reopened };
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
