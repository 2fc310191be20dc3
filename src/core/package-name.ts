/** Package identity across sources: the ecosystem base and the name as the ecosystem compares names. */

/** The part of an OSV ecosystem string before the first ':' ("Debian:12" → "Debian"). */
export function getEcosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

/** Ecosystems whose registries treat names case-insensitively. */
const CASE_INSENSITIVE = new Set(['NuGet', 'Packagist', 'crates.io', 'Hackage']);

/**
 * The name as the ecosystem compares it, for lookups: PyPI per PEP 503 (case-insensitive, runs of
 * `-`, `_`, `.` equal), case-insensitive registries lowercased, everything else as written.
 */
export function getLookupName(ecosystem: string, name: string): string {
  const base = getEcosystemBase(ecosystem);
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (CASE_INSENSITIVE.has(base)) return name.toLowerCase();
  return name;
}

/** `base\0lookupName`: the key matching groups packages and advisories by. */
export function getPackageLookupKey(ecosystem: string, name: string): string {
  return `${getEcosystemBase(ecosystem)}\0${getLookupName(ecosystem, name)}`;
}

/** The key of an installed (ecosystem, name, version). */
export function getInstalledKey(p: { ecosystem: string; name: string; version: string }): string {
  return `${p.ecosystem}\0${p.name}\0${p.version}`;
}

/**
 * Whether two OSV ecosystems name the same release: "Debian:12" and "Debian:11" differ; a bare
 * "Debian" agrees with any release; "Ubuntu:22.04" agrees with "Ubuntu:22.04:LTS" (a prefix).
 */
export function isSameRelease(a: string, b: string): boolean {
  const x = a.split(':').slice(1);
  const y = b.split(':').slice(1);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}
