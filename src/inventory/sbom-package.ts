/**
 * Shared by the SBOM formats (CycloneDX, SPDX): a purl → a `FoundPackage` in OSV terms, dedupe, and
 * filling OS package releases from the SBOM's operating-system entry.
 */
import { withOsRelease } from './os-release.js';
import { parsePurl, purlToOsv } from './purl.js';
import type { FoundPackage } from './types.js';

export type PurlReading = { pkg: FoundPackage } | { warning: string };

/** Source package facts an SBOM tool records beside the purl (Trivy's `SrcName`…, SPDX `sourceInfo`). */
export interface SourceHints {
  sourceName?: string;
  sourceVersion?: string;
}

/** Reads one purl; a warning (never an error) for an invalid purl or a type OSV does not cover. */
export function readPurl(purlText: string, location: string, hints: SourceHints = {}): PurlReading {
  const purl = parsePurl(purlText);
  if (!purl) return { warning: `${location}: invalid purl ${JSON.stringify(purlText)}; skipped` };
  const ref = purlToOsv(purl);
  if (!ref)
    return { warning: `${location}: purl type or namespace not matched by OSV (${purlText}); skipped` };
  const sourceName = hints.sourceName ?? ref.sourceName;
  const sourceVersion = hints.sourceVersion ?? ref.sourceVersion;
  const isOs = purl.type === 'deb' || purl.type === 'rpm' || purl.type === 'apk';
  return {
    pkg: {
      ecosystem: ref.ecosystem,
      name: ref.name,
      version: ref.version,
      purl: purl.toString(),
      ...(sourceName || isOs ? { sourceName: sourceName ?? ref.name } : {}),
      ...(sourceVersion || isOs ? { sourceVersion: sourceVersion ?? ref.version } : {}),
      location,
    },
  };
}

/** Drops repeated (ecosystem, name, version, purl) entries, keeping the first, and fills OS releases. */
export function finishPackages(packages: FoundPackage[], osEcosystem: string | undefined): FoundPackage[] {
  const seen = new Set<string>();
  const out: FoundPackage[] = [];
  for (const pkg of packages) {
    const ecosystem = withOsRelease(pkg.ecosystem, osEcosystem);
    const key = `${ecosystem}\u0000${pkg.name}\u0000${pkg.version}\u0000${pkg.purl ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ecosystem === pkg.ecosystem ? pkg : { ...pkg, ecosystem });
  }
  return out;
}
