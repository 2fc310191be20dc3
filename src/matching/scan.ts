import { getInstalledKey } from '../core/package-name.js';
import type { AssetInventory } from '../inventory/collect.js';
import type { FoundPackage } from '../inventory/types.js';
import type { AdvisorySource, VulnerabilityDetails } from './advisory-source.js';
import { type CoverageWarning, getCoverageWarnings } from './coverage.js';
import { getEffectivePackage } from './effective-package.js';
import { evaluatePackages } from './evaluate.js';
import type { MatchProblem } from './types.js';
import { findVexStatement, isSuppressing, type VexStatement } from './vex/index.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export const SEVERITY_ORDER: readonly Severity[] = ['unknown', 'low', 'medium', 'high', 'critical'];

/** One finding of a one-off scan, in the documented JSON shape of `patchcast scan --format json`. */
export interface ScanFinding {
  asset: string;
  package: { ecosystem: string; name: string; version: string; purl: string | null };
  vulnerability: { id: string; aliases: string[]; severity: Severity; summary: string | null };
  fixedVersions: string[];
  targetVersion: string | null;
  suppressed: boolean;
  /** Why it is not open: a VEX statement (suppressed) or an accepted risk (an exception). */
  suppression: {
    kind: 'vex' | 'exception';
    status: string;
    justification: string | null;
    source: string;
  } | null;
  /** The inventory file the package was read from. */
  source: string;
}

export interface ScanResult {
  findings: ScanFinding[];
  problems: MatchProblem[];
  packages: number;
  /** Assets × ecosystems the advisories say nothing about: their "no findings" means "not checked". */
  warnings: CoverageWarning[];
}

/** Matches collected inventories against an advisory source (store or OSV files) without writing anything. */
export async function scanInventories(
  assets: readonly AssetInventory[],
  source: AdvisorySource,
  vex: readonly VexStatement[] = [],
): Promise<ScanResult> {
  const all = assets.flatMap((a) => a.packages);
  const distinct = [...new Map(all.map((p) => [getInstalledKey(p), p])).values()];
  const entries = await source.loadEntries(distinct.map(getEffectivePackage));
  const { matched, problems } = evaluatePackages(distinct, entries);
  const ids = [...new Set([...matched.values()].flat().map((m) => m.vulnerabilityId))];
  const details = await source.loadDetails(ids);
  const findings: ScanFinding[] = [];
  for (const asset of assets) {
    const seen = new Set<string>();
    const files = getPackageSources(asset);
    for (const [index, pkg] of asset.packages.entries()) {
      for (const m of matched.get(getInstalledKey(pkg)) ?? []) {
        const key = `${m.vulnerabilityId}\0${pkg.ecosystem}\0${pkg.name}\0${pkg.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(
          makeFinding(
            asset,
            pkg,
            m.vulnerabilityId,
            details.get(m.vulnerabilityId),
            m.fixedVersions,
            m.targetVersion,
            vex,
            files[index] ?? '',
          ),
        );
      }
    }
  }
  findings.sort(compareFindings);
  const warnings = await getScanCoverage(assets, source);
  return { findings, problems, packages: distinct.length, warnings };
}

/** Coverage of each scanned asset's ecosystems by the advisories the scan used. */
async function getScanCoverage(
  assets: readonly AssetInventory[],
  source: AdvisorySource,
): Promise<CoverageWarning[]> {
  const held = assets.flatMap((asset) => {
    const counts = new Map<string, number>();
    for (const p of asset.packages) counts.set(p.ecosystem, (counts.get(p.ecosystem) ?? 0) + 1);
    return [...counts].map(([ecosystem, packages]) => ({ assetId: asset.assetId, ecosystem, packages }));
  });
  if (held.length === 0) return [];
  return getCoverageWarnings(held, await source.loadEcosystems(), 'the advisories');
}

function makeFinding(
  asset: AssetInventory,
  pkg: FoundPackage,
  id: string,
  details: VulnerabilityDetails | undefined,
  fixedVersions: string[],
  targetVersion: string | undefined,
  vex: readonly VexStatement[],
  source: string,
): ScanFinding {
  const aliases = details?.aliases ?? [];
  const statement = findVexStatement(
    {
      vulnerabilityIds: [id, ...aliases],
      ...(pkg.purl ? { purl: pkg.purl } : {}),
      packageName: pkg.name,
      packageVersion: pkg.version,
      assetName: asset.name,
    },
    vex,
  );
  const suppressed = isSuppressing(statement);
  return {
    asset: asset.assetId,
    package: { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version, purl: pkg.purl ?? null },
    vulnerability: { id, aliases, severity: getSeverity(details), summary: details?.summary ?? null },
    fixedVersions,
    targetVersion: targetVersion ?? null,
    suppressed,
    suppression:
      statement && suppressed
        ? {
            kind: 'vex',
            status: statement.status,
            justification: statement.justification ?? null,
            source: statement.source,
          }
        : null,
    source,
  };
}

/** The file each of the asset's packages was read from, by position (sources list their package counts in order). */
function getPackageSources(asset: AssetInventory): string[] {
  const files: string[] = [];
  for (const source of asset.sources) for (let i = 0; i < source.packages; i++) files.push(source.path);
  return files;
}

/** Qualitative severity: as published, else from the CVSS base score (FIRST's bands). */
export function getSeverity(details: VulnerabilityDetails | undefined): Severity {
  const published = details?.severity?.toLowerCase();
  if (published === 'critical' || published === 'high' || published === 'medium' || published === 'low')
    return published;
  if (published === 'moderate') return 'medium';
  const score = details?.cvssScore;
  if (score === undefined) return 'unknown';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'unknown';
}

function compareFindings(a: ScanFinding, b: ScanFinding): number {
  const bySeverity =
    SEVERITY_ORDER.indexOf(b.vulnerability.severity) - SEVERITY_ORDER.indexOf(a.vulnerability.severity);
  return (
    bySeverity ||
    a.asset.localeCompare(b.asset) ||
    a.package.name.localeCompare(b.package.name) ||
    a.vulnerability.id.localeCompare(b.vulnerability.id)
  );
}
