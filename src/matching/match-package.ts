import { isSameRelease } from '../core/package-name.js';
import type { InstalledPackage, OsvRange } from '../core/types.js';
import { evaluateAffected, getVersionScheme, type VersionScheme } from '../versioning/index.js';
import { getEffectivePackage } from './effective-package.js';
import type { AdvisoryForPackage, MatchProblem, PackageMatch } from './types.js';

/**
 * Evaluates one installed package against the advisories that name it. Pure. Distribution packages
 * only meet their own release's advisories (`Debian:12` never matches a `Debian:11` record), as
 * Trivy and OSV-Scanner do. An invalid version or a malformed advisory becomes a problem entry.
 */
export function matchPackage(
  pkg: InstalledPackage,
  advisories: readonly AdvisoryForPackage[],
): { matches: PackageMatch[]; problems: MatchProblem[] } {
  const target = getEffectivePackage(pkg);
  const matches: PackageMatch[] = [];
  const problems: MatchProblem[] = [];
  let scheme: VersionScheme;
  try {
    scheme = getVersionScheme(target.ecosystem);
  } catch (error) {
    return { matches, problems: [{ package: pkg, problem: (error as Error).message }] };
  }
  for (const advisory of advisories) {
    const record = { id: advisory.vulnerabilityId, affected: advisory.entries.map(toOsvAffected) };
    try {
      const found = evaluateAffected(target, target.version, record);
      if (found.length === 0) continue;
      const fixes = found.map((m) => m.fixed).filter((v): v is string => v !== null);
      const match: PackageMatch = {
        vulnerabilityId: advisory.vulnerabilityId,
        matchedAs: target,
        ranges: found.map((m) =>
          m.range === null ? null : (advisory.entries[m.entry]?.ranges[m.range] ?? null),
        ),
        fixedVersions: sortVersions(scheme, collectFixed(advisory, target.ecosystem)),
      };
      const lowest = sortVersions(scheme, fixes)[0];
      if (lowest !== undefined) match.targetVersion = lowest;
      matches.push(match);
    } catch (error) {
      problems.push({
        package: pkg,
        vulnerabilityId: advisory.vulnerabilityId,
        problem: (error as Error).message,
      });
    }
  }
  return { matches, problems };
}

function toOsvAffected(entry: AdvisoryForPackage['entries'][number]) {
  return {
    package: { ecosystem: entry.ecosystem, name: entry.name },
    ranges: entry.ranges,
    versions: entry.versions,
  };
}

/** Every `fixed` event of the advisory's entries for the package's release. */
function collectFixed(advisory: AdvisoryForPackage, ecosystem: string): string[] {
  const fixed = new Set<string>();
  for (const entry of advisory.entries) {
    if (!isSameRelease(ecosystem, entry.ecosystem)) continue;
    for (const range of entry.ranges) collectRangeFixes(range, fixed);
  }
  return [...fixed];
}

function collectRangeFixes(range: OsvRange, into: Set<string>): void {
  if (range.type === 'GIT') return;
  for (const event of range.events) if ('fixed' in event) into.add(event.fixed);
}

/** Ascending by the scheme; versions the scheme rejects go last, in input order. */
function sortVersions(scheme: VersionScheme, versions: readonly string[]): string[] {
  const valid = versions.filter((v) => scheme.isValid(v));
  const invalid = versions.filter((v) => !scheme.isValid(v));
  return [...[...new Set(valid)].sort((a, b) => scheme.compare(a, b)), ...invalid];
}
