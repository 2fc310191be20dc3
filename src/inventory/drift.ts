import type { InstalledPackage } from '../core/types.js';
import type { AssetSnapshot, SnapshotKind } from '../store/index.js';

export interface PackageChange {
  ecosystem: string;
  name: string;
  from: string;
  to: string;
}

export interface DriftReport {
  assetId: string;
  against: SnapshotKind;
  /** When the reference was taken; null when the asset has none of that kind. */
  since: string | null;
  added: InstalledPackage[];
  removed: InstalledPackage[];
  changed: PackageChange[];
  configChanged: Array<{ path: string; from: string | null; to: string | null }>;
}

/**
 * What changed between two package sets (and config hash maps): packages added, removed, or at
 * another version. Pure. A package installed at several versions is compared as its sorted version list.
 */
export function computeDrift(
  before: readonly InstalledPackage[],
  after: readonly InstalledPackage[],
  beforeHashes: Record<string, string> = {},
  afterHashes: Record<string, string> = {},
): Omit<DriftReport, 'assetId' | 'against' | 'since'> {
  const a = groupVersions(before);
  const b = groupVersions(after);
  const added: InstalledPackage[] = [];
  const removed: InstalledPackage[] = [];
  const changed: PackageChange[] = [];
  for (const [key, to] of b) {
    const from = a.get(key);
    const [ecosystem = '', name = ''] = key.split('\0');
    if (!from) added.push({ ecosystem, name, version: to });
    else if (from !== to) changed.push({ ecosystem, name, from, to });
  }
  for (const [key, from] of a) {
    const [ecosystem = '', name = ''] = key.split('\0');
    if (!b.has(key)) removed.push({ ecosystem, name, version: from });
  }
  const paths = [...new Set([...Object.keys(beforeHashes), ...Object.keys(afterHashes)])].sort();
  const configChanged = paths
    .filter((p) => beforeHashes[p] !== afterHashes[p])
    .map((path) => ({ path, from: beforeHashes[path] ?? null, to: afterHashes[path] ?? null }));
  const byName = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name);
  return {
    added: added.sort(byName),
    removed: removed.sort(byName),
    changed: changed.sort(byName),
    configChanged,
  };
}

function groupVersions(packages: readonly InstalledPackage[]): Map<string, string> {
  const versions = new Map<string, string[]>();
  for (const p of packages) {
    const key = `${p.ecosystem}\0${p.name}`;
    versions.set(key, [...(versions.get(key) ?? []), p.version]);
  }
  return new Map([...versions].map(([key, list]) => [key, [...new Set(list)].sort().join(', ')]));
}

/**
 * An asset's drift report against a reference snapshot (none: an empty report). Pure; the drift
 * service (`src/services/inventory/load-asset-drift.ts`) reads the snapshot and packages.
 */
export function getAssetDrift(
  assetId: string,
  against: SnapshotKind,
  reference: AssetSnapshot | undefined,
  current: readonly InstalledPackage[],
  hashes: Record<string, string>,
): DriftReport {
  if (!reference)
    return { assetId, against, since: null, added: [], removed: [], changed: [], configChanged: [] };
  return {
    assetId,
    against,
    since: reference.takenAt,
    ...computeDrift(reference.packages, current, reference.configHashes ?? {}, hashes),
  };
}
