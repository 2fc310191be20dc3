import type { Finding } from '../core/types.js';
import {
  type Db,
  listFindings,
  listVexStatements,
  loadAliasesFor,
  loadInstalledPurl,
} from '../store/index.js';
import { findVexStatement, isSuppressing, type VexStatement } from './vex/index.js';

/**
 * Applies the stored VEX statements to findings: a not_affected or fixed statement about a finding's
 * vulnerability (or an alias) and its package or asset marks it `suppressed` with the justification;
 * a finding whose statement is gone is opened again. Suppressed findings stay listed and counted.
 */
export async function applyStoredVex(
  db: Db,
  options: { assetIds?: string[] } = {},
): Promise<{ suppressed: number; reopened: number }> {
  const statements = (await listVexStatements(db)) as VexStatement[];
  const candidates = await loadCandidates(db, statements, options.assetIds);
  if (candidates.length === 0) return { suppressed: 0, reopened: 0 };
  const aliases = await loadAliasesFor(
    db,
    candidates.map((f) => f.vulnerabilityId),
  );
  const context = await loadPackageContext(db, candidates);
  let suppressed = 0;
  let reopened = 0;
  for (const finding of candidates) {
    const ctx = context.get(finding.id);
    const statement = findVexStatement(
      {
        vulnerabilityIds: [finding.vulnerabilityId, ...(aliases.get(finding.vulnerabilityId) ?? [])],
        ...(ctx?.purl ? { purl: ctx.purl } : {}),
        packageName: finding.packageName,
        packageVersion: finding.installedVersion,
        assetName: ctx?.assetName ?? finding.assetId,
      },
      statements,
    );
    if (isSuppressing(statement) && statement && finding.status !== 'suppressed') {
      await setStatus(db, finding.id, 'suppressed', {
        kind: 'vex',
        justification: statement.justification ?? statement.status,
        ref: statement.source,
      });
      suppressed++;
    } else if (
      !isSuppressing(statement) &&
      finding.status === 'suppressed' &&
      finding.suppression?.kind === 'vex'
    ) {
      await setStatus(db, finding.id, 'open', null);
      reopened++;
    }
  }
  return { suppressed, reopened };
}

/** Open findings some statement may cover, and VEX-suppressed ones whose statement may be gone. */
async function loadCandidates(
  db: Db,
  statements: readonly VexStatement[],
  assetIds: string[] | undefined,
): Promise<Finding[]> {
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
  const ids = new Set([...named, ...viaAlias]);
  const scope = (f: Finding) => !assetIds || assetIds.includes(f.assetId);
  const open = ids.size
    ? (await listFindings(db, { status: ['open'] })).filter((f) => ids.has(f.vulnerabilityId) && scope(f))
    : [];
  const suppressed = (await listFindings(db, { status: ['suppressed'] })).filter(
    (f) => f.suppression?.kind === 'vex' && scope(f),
  );
  return [...open, ...suppressed];
}

async function loadPackageContext(db: Db, findings: readonly Finding[]) {
  const out = new Map<string, { purl?: string; assetName: string }>();
  const assets = new Map(
    (await db.selectFrom('assets').select(['id', 'name']).execute()).map((a) => [a.id, a.name]),
  );
  for (const f of findings) {
    const purl = await loadInstalledPurl(db, f);
    out.set(f.id, {
      ...(purl ? { purl } : {}),
      assetName: assets.get(f.assetId) ?? f.assetId,
    });
  }
  return out;
}

async function setStatus(
  db: Db,
  id: string,
  status: 'open' | 'suppressed',
  suppression: Finding['suppression'] | null,
): Promise<void> {
  await db
    .updateTable('findings')
    .set({ status, suppression: suppression ? JSON.stringify(suppression) : null })
    .where('id', '=', id)
    .execute();
}
