import { createHash } from 'node:crypto';
import { getOrCreate } from '../core/collections.js';
import type { Finding, InstalledPackage } from '../core/types.js';
import {
  type Db,
  loadAdvisoryEntries,
  loadDistinctPackages,
  type Store,
  upsertFindings,
} from '../store/index.js';
import { getEffectivePackage } from './effective-package.js';
import { evaluatePackages, getInstalledKey } from './evaluate.js';
import type { MatchProblem, PackageMatch } from './types.js';

export interface MatchFleetOptions {
  /** Only these assets (a new inventory re-matches only what it touches); all when omitted. */
  assetIds?: string[];
  now: Date;
}

export interface StageTiming {
  stage: string;
  items: number;
  seconds: number;
}

export interface MatchFleetResult {
  distinctPackages: number;
  vulnerablePackages: number;
  findings: number;
  resolved: number;
  problems: MatchProblem[];
  stages: StageTiming[];
}

/** A finding's id: stable across scans and upgrades of the same package on the same asset. */
export function getFindingId(
  assetId: string,
  vulnerabilityId: string,
  ecosystem: string,
  name: string,
): string {
  return createHash('sha1')
    .update(`${assetId}\0${vulnerabilityId}\0${ecosystem}\0${name}`)
    .digest('hex')
    .slice(0, 20);
}

/**
 * Matches the fleet's inventory against the stored advisories: each distinct (ecosystem, name,
 * version) is evaluated once, then fanned out to the assets that have it. Findings a scan no longer
 * reports are resolved as fixed. Runs in one transaction.
 */
export async function matchFleet(store: Store, options: MatchFleetOptions): Promise<MatchFleetResult> {
  const stages: StageTiming[] = [];
  const timed = async <T>(stage: string, fn: () => Promise<T>, count: (t: T) => number): Promise<T> => {
    const started = performance.now();
    const value = await fn();
    stages.push({ stage, items: count(value), seconds: (performance.now() - started) / 1000 });
    return value;
  };
  return store.db.transaction().execute(async (db) => {
    const distinct = await timed(
      'load distinct packages',
      () => loadDistinctPackages(db, options.assetIds),
      (r) => r.length,
    );
    const packages: InstalledPackage[] = distinct.map(toInstalled);
    const advisories = await timed(
      'load advisories',
      () => loadAdvisoryEntries(db, packages.map(getEffectivePackage)),
      (m) => m.size,
    );
    const { matched, problems } = await timed(
      'evaluate',
      async () => evaluatePackages(packages, advisories),
      (r) => r.matched.size,
    );
    const findings = await timed(
      'fan out to assets',
      () => fanOut(db, matched, options),
      (f) => f.length,
    );
    await timed(
      'write findings',
      () => upsertFindings(db, findings),
      () => findings.length,
    );
    const resolved = await timed(
      'resolve missing',
      () => resolveUnseen(db, options),
      (n) => n,
    );
    return {
      distinctPackages: packages.length,
      vulnerablePackages: matched.size,
      findings: findings.length,
      resolved,
      problems,
      stages,
    };
  });
}

function toInstalled(row: {
  ecosystem: string;
  name: string;
  version: string;
  source_name: string | null;
  source_version: string | null;
}): InstalledPackage {
  const pkg: InstalledPackage = { ecosystem: row.ecosystem, name: row.name, version: row.version };
  if (row.source_name) pkg.sourceName = row.source_name;
  if (row.source_version) pkg.sourceVersion = row.source_version;
  return pkg;
}

/** The findings: one per (asset, vulnerability, package), for every asset that has a matched package. */
async function fanOut(
  db: Db,
  matched: Map<string, PackageMatch[]>,
  options: MatchFleetOptions,
): Promise<Finding[]> {
  const at = options.now.toISOString();
  const byEcosystem = new Map<string, Set<string>>();
  for (const key of matched.keys()) {
    const [ecosystem = '', name = ''] = key.split('\0');
    const names = getOrCreate(byEcosystem, ecosystem, () => new Set());
    names.add(name);
  }
  const findings = new Map<string, Finding>();
  for (const [ecosystem, names] of byEcosystem) {
    const all = [...names];
    for (let i = 0; i < all.length; i += 1000) {
      let query = db
        .selectFrom('asset_packages')
        .select(['asset_id', 'ecosystem', 'name', 'version'])
        .where('ecosystem', '=', ecosystem)
        .where('name', 'in', all.slice(i, i + 1000));
      if (options.assetIds)
        query = query.where('asset_id', 'in', options.assetIds.length ? options.assetIds : ['']);
      for (const row of await query.execute()) {
        for (const m of matched.get(getInstalledKey(row)) ?? []) {
          const id = getFindingId(row.asset_id, m.vulnerabilityId, row.ecosystem, row.name);
          findings.set(id, toFinding(id, row, m, at));
        }
      }
    }
  }
  return [...findings.values()];
}

function toFinding(
  id: string,
  row: { asset_id: string; ecosystem: string; name: string; version: string },
  m: PackageMatch,
  at: string,
): Finding {
  const finding: Finding = {
    id,
    assetId: row.asset_id,
    vulnerabilityId: m.vulnerabilityId,
    ecosystem: row.ecosystem,
    packageName: row.name,
    installedVersion: row.version,
    fixedVersions: m.fixedVersions,
    status: 'open',
    firstSeen: at,
    lastSeen: at,
  };
  if (m.targetVersion) finding.targetVersion = m.targetVersion;
  return finding;
}

/** Findings in scope that this run did not see again are fixed: their package was upgraded or removed. */
async function resolveUnseen(db: Db, options: MatchFleetOptions): Promise<number> {
  const at = options.now.toISOString();
  let query = db
    .updateTable('findings')
    .set({ status: 'fixed', resolved_at: at })
    .where('status', '!=', 'fixed')
    .where('last_seen', '<', at);
  if (options.assetIds)
    query = query.where('asset_id', 'in', options.assetIds.length ? options.assetIds : ['']);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
