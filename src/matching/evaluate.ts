import { getOrCreate } from '../core/collections.js';
import { getInstalledKey, getPackageLookupKey } from '../core/package-name.js';
import type { InstalledPackage } from '../core/types.js';
import type { AdvisoryEntry } from '../store/index.js';
import { getEffectivePackage } from './effective-package.js';
import { matchPackage } from './match-package.js';
import type { AdvisoryForPackage, MatchProblem, PackageMatch } from './types.js';

/**
 * Evaluates each distinct installed package once against the advisory entries loaded for it; the
 * result is keyed by `getInstalledKey`. Advisories of a package name are grouped once, and narrowed
 * once per release to those with an entry for it (a Debian:9 package never reads Debian:11 records).
 */
export function evaluatePackages(packages: InstalledPackage[], advisories: Map<string, AdvisoryEntry[]>) {
  const matched = new Map<string, PackageMatch[]>();
  const problems: MatchProblem[] = [];
  const grouped = new Map<string, AdvisoryForPackage[]>();
  const byRelease = new Map<string, AdvisoryForPackage[]>();
  for (const pkg of packages) {
    const effective = getEffectivePackage(pkg);
    const key = getPackageLookupKey(effective.ecosystem, effective.name);
    const entries = advisories.get(key);
    if (!entries) continue;
    const all = getOrCreate(grouped, key, () => groupByVulnerability(entries));
    const forRelease = getOrCreate(byRelease, `${effective.ecosystem}\0${key}`, () =>
      ofRelease(all, effective.ecosystem),
    );
    const result = matchPackage(pkg, forRelease);
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

/**
 * The advisories with at least one entry of the release: the others cannot match (the evaluation
 * skips entries of another release before reading their ranges), so dropping them changes nothing.
 */
function ofRelease(advisories: AdvisoryForPackage[], ecosystem: string): AdvisoryForPackage[] {
  return advisories.filter((a) => a.entries.some((e) => isSameRelease(ecosystem, e.ecosystem)));
}

/** As in versioning/osv-affected.ts: "Debian:12" ≠ "Debian:11"; "Debian" or "Ubuntu:22.04" vs "Ubuntu:22.04:LTS" agree. */
function isSameRelease(a: string, b: string): boolean {
  const x = a.split(':').slice(1);
  const y = b.split(':').slice(1);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}
