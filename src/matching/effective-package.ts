import { getEcosystemBase } from '../core/package-name.js';
import type { InstalledPackage } from '../core/types.js';

/**
 * Distributions whose advisories name source packages: Debian's and Ubuntu's trackers are per source
 * package (DSA/DLA/USN), Alpine's secdb per origin. Their binaries are matched through the source.
 */
const SOURCE_KEYED = new Set(['Debian', 'Ubuntu', 'Alpine', 'Wolfi', 'Chainguard']);

/** The (ecosystem, name, version) to look advisories up by for an installed package. */
export function getEffectivePackage(pkg: InstalledPackage): {
  ecosystem: string;
  name: string;
  version: string;
} {
  if (SOURCE_KEYED.has(getEcosystemBase(pkg.ecosystem)) && pkg.sourceName) {
    return { ecosystem: pkg.ecosystem, name: pkg.sourceName, version: pkg.sourceVersion || pkg.version };
  }
  return { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version };
}
