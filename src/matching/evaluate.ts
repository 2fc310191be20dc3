import { getOrCreate } from '../core/collections.js';
import type { InstalledPackage } from '../core/types.js';
import { type AdvisoryEntry, getPackageLookupKey } from '../store/index.js';
import { getEffectivePackage } from './effective-package.js';
import { matchPackage } from './match-package.js';
import type { AdvisoryForPackage, MatchProblem, PackageMatch } from './types.js';

/** The key of an installed (ecosystem, name, version). */
export function getInstalledKey(p: { ecosystem: string; name: string; version: string }): string {
  return `${p.ecosystem}\0${p.name}\0${p.version}`;
}

/**
 * Evaluates each distinct installed package once against the advisory entries loaded for it; the
 * result is keyed by `getInstalledKey`. Advisories of a package name are grouped once and reused.
 */
export function evaluatePackages(packages: InstalledPackage[], advisories: Map<string, AdvisoryEntry[]>) {
  const matched = new Map<string, PackageMatch[]>();
  const problems: MatchProblem[] = [];
  const grouped = new Map<string, AdvisoryForPackage[]>();
  for (const pkg of packages) {
    const effective = getEffectivePackage(pkg);
    const key = getPackageLookupKey(effective.ecosystem, effective.name);
    const entries = advisories.get(key);
    if (!entries) continue;
    const forPackage = getOrCreate(grouped, key, () => groupByVulnerability(entries));
    const result = matchPackage(pkg, forPackage);
    problems.push(...result.problems);
    if (result.matches.length > 0) matched.set(getInstalledKey(pkg), result.matches);
  }
  return { matched, problems };
}

function groupByVulnerability(entries: AdvisoryEntry[]): AdvisoryForPackage[] {
  const byId = new Map<string, AdvisoryForPackage>();
  for (const e of entries) {
    const advisory = getOrCreate(byId, e.vulnerabilityId, () => ({
      vulnerabilityId: e.vulnerabilityId,
      entries: [] as AdvisoryForPackage['entries'],
    }));
    advisory.entries.push({ ecosystem: e.ecosystem, name: e.name, ranges: e.ranges, versions: e.versions });
  }
  return [...byId.values()];
}
