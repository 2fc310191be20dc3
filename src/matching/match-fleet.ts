import { createHash } from 'node:crypto';
import type { Finding, InstalledPackage } from '../core/types.js';
import {
  type Db,
  forEachPackageHolder,
  loadAdvisoryEntries,
  loadDistinctPackages,
  type PackageVersionKey,
  type Store,
  upsertFindings,
} from '../store/index.js';
import { getEffectivePackage } from './effective-package.js';
import { evaluatePackages } from './evaluate.js';
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
    const written = await fanOut(db, matched, options);
    stages.push(
      { stage: 'fan out to assets', items: written.findings, seconds: written.fanOutSeconds },
      { stage: 'write findings', items: written.findings, seconds: written.writeSeconds },
    );
    const resolved = await timed(
      'resolve missing',
      () => resolveUnseen(db, options),
      (n) => n,
    );
    return {
      distinctPackages: packages.length,
      vulnerablePackages: matched.size,
      findings: written.findings,
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

/** Keys per slice of the fan-out: a slice's holders are one query's rows (~100 bytes each). */
const SLICE_KEYS = 256;
const WRITE_BATCH = 20_000;

/**
 * Writes the findings, one per (asset, vulnerability, package), for every asset that holds a matched
 * package: slice by slice of matched keys, a slice's holders ordered by asset, written in batches.
 * An asset holding two versions of a package yields one finding per vulnerability (the id omits the
 * version; the last one wins, as before). Both versions sort next to each other, so a slice never
 * splits them and one asset's findings are deduplicated within its run of rows.
 */
async function fanOut(db: Db, matched: Map<string, PackageMatch[]>, options: MatchFleetOptions) {
  const at = options.now.toISOString();
  const keys = [...matched.keys()].sort();
  const parsed = keys.map(parseInstalledKey);
  const matches = keys.map((k) => matched.get(k) ?? []);
  const totals = { findings: 0, fanOutSeconds: 0, writeSeconds: 0 };
  const started = performance.now();
  let pending: Finding[] = [];
  const flush = async () => {
    const writeStarted = performance.now();
    await upsertFindings(db, pending);
    totals.writeSeconds += (performance.now() - writeStarted) / 1000;
    pending = [];
  };
  await forEachPackageHolder(db, parsed, sliceEnds(parsed), options.assetIds, async (holders) => {
    let asset = '';
    let ofAsset = new Map<string, Finding>();
    for (const holder of holders) {
      if (holder.asset_id !== asset) {
        totals.findings += ofAsset.size;
        pending.push(...ofAsset.values());
        if (pending.length >= WRITE_BATCH) await flush();
        asset = holder.asset_id;
        ofAsset = new Map();
      }
      const row = { asset_id: holder.asset_id, ...(parsed[holder.key_index] as PackageVersionKey) };
      for (const m of matches[holder.key_index] ?? []) {
        const id = getFindingId(row.asset_id, m.vulnerabilityId, row.ecosystem, row.name);
        ofAsset.set(id, toFinding(id, row, m, at));
      }
    }
    totals.findings += ofAsset.size;
    pending.push(...ofAsset.values());
  });
  await flush();
  totals.fanOutSeconds = (performance.now() - started) / 1000 - totals.writeSeconds;
  return totals;
}

function parseInstalledKey(key: string): PackageVersionKey {
  const [ecosystem = '', name = '', version = ''] = key.split('\0');
  return { ecosystem, name, version };
}

/** Slice ends about SLICE_KEYS apart, never between two versions of one (ecosystem, name). */
function sliceEnds(keys: readonly PackageVersionKey[]): number[] {
  const ends: number[] = [];
  let start = 0;
  for (let i = 1; i <= keys.length; i++) {
    const prev = keys[i - 1] as PackageVersionKey;
    const next = keys[i];
    const sameName = next !== undefined && next.ecosystem === prev.ecosystem && next.name === prev.name;
    if (i === keys.length || (i - start >= SLICE_KEYS && !sameName)) {
      ends.push(i);
      start = i;
    }
  }
  return ends;
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
