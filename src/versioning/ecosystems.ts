/** OSV ecosystem name → scheme, derived from the registry. */
import { getEcosystemBase } from '../core/package-name.js';
import { UnknownEcosystemError } from './errors.js';
import { versionSchemes } from './registry.js';
import type { VersionScheme } from './types.js';

function buildIndex(): Map<string, VersionScheme> {
  const index = new Map<string, VersionScheme>();
  for (const scheme of Object.values(versionSchemes)) {
    for (const ecosystem of scheme.ecosystems) {
      const taken = index.get(ecosystem);
      if (taken && taken !== scheme) {
        throw new Error(`ecosystem ${ecosystem} is claimed by both ${taken.id} and ${scheme.id}`);
      }
      index.set(ecosystem, scheme);
    }
  }
  return index;
}

const byEcosystem = buildIndex();
const byLowerCase = new Map([...byEcosystem].map(([name, scheme]) => [name.toLowerCase(), scheme]));

export { getEcosystemBase };

/** Sorted OSV ecosystem names that have a scheme. */
export function listEcosystems(): string[] {
  return [...byEcosystem.keys()].sort((a, b) => a.localeCompare(b, 'en'));
}

/**
 * The scheme for an OSV ecosystem, spelled as OSV spells it. A release suffix is ignored
 * ("Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.20"); a different letter case is tolerated.
 * Throws `UnknownEcosystemError` listing the known names.
 */
export function getVersionScheme(ecosystem: string): VersionScheme {
  const base = getEcosystemBase(String(ecosystem)).trim();
  const scheme = byEcosystem.get(base) ?? byLowerCase.get(base.toLowerCase());
  if (!scheme) throw new UnknownEcosystemError(String(ecosystem), listEcosystems());
  return scheme;
}

/** The scheme with this id (folder name), e.g. `semver` for OSV's SEMVER range type. */
export function getVersionSchemeById(id: string): VersionScheme {
  const scheme = Object.hasOwn(versionSchemes, id) ? versionSchemes[id] : undefined;
  if (!scheme) throw new UnknownEcosystemError(id, Object.keys(versionSchemes).sort());
  return scheme;
}
