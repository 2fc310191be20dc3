/**
 * Missing coverage must not read as "clean": an asset whose packages belong to an ecosystem (or a
 * distribution release) the advisories do not cover gets a warning, as Trivy warns about an OS it
 * has no data for. `getCoverageWarnings` decides (pure); `loadCoverageWarnings`
 * (src/services/matching/load-coverage-warnings.ts) feeds it from the store.
 */
import { getEcosystemBase, isSameRelease } from '../core/package-name.js';

/** One asset's packages of one ecosystem. */
export interface AssetEcosystem {
  assetId: string;
  ecosystem: string;
  packages: number;
}

/** An asset × ecosystem the advisories say nothing about. */
export interface CoverageWarning {
  assetId: string;
  ecosystem: string;
  packages: number;
  message: string;
}

/**
 * Whether advisories exist for `ecosystem`: an advisory ecosystem with the same base and the same
 * release (`Debian:12` needs `Debian:12`, or a bare `Debian`; a bare `Maven` takes any `Maven…`).
 */
export function isEcosystemCovered(ecosystem: string, covered: readonly string[]): boolean {
  const base = getEcosystemBase(ecosystem);
  return covered.some((c) => getEcosystemBase(c) === base && isSameRelease(c, ecosystem));
}

/**
 * The warnings for every asset × ecosystem not covered, in input order; `where` names the advisories
 * (`the store`, or the files `scan --advisories` read). Pure.
 */
export function getCoverageWarnings(
  assets: readonly AssetEcosystem[],
  covered: readonly string[],
  where = 'the store',
): CoverageWarning[] {
  const warnings: CoverageWarning[] = [];
  for (const a of assets) {
    if (a.packages === 0 || isEcosystemCovered(a.ecosystem, covered)) continue;
    const base = getEcosystemBase(a.ecosystem);
    const label = a.ecosystem.split(':').join(' ');
    const message = `${a.assetId}: no advisories for ${label} in ${where} (${a.packages} package${a.packages === 1 ? '' : 's'}): results would be incomplete; sync osv for ${base}`;
    warnings.push({ assetId: a.assetId, ecosystem: a.ecosystem, packages: a.packages, message });
  }
  return warnings;
}
